/**
 * Commands of the scripting tools around Azure Backup: Az PowerShell (`Get-AzRecoveryServicesBackupItem`),
 * the MARS agent's own PowerShell module (`Add-OBFileSpec`, `Set-OBMachineSetting`) and the Azure CLI
 * (`az backup …`). A message built around one of them asks how to use that tool, which the
 * troubleshooting article does not cover, unless it also carries an error of ours. Recognised by
 * the shape of the command, so every cmdlet of those modules counts, not a list of names.
 */

/** Out-of-scope subject ids (knowledge/out-of-scope.yaml) for each tool. */
export type CommandTool = 'az-powershell' | 'mars-powershell' | 'azure-cli';

// PowerShell's approved verbs that these modules use; the noun part follows the module prefix.
const VERBS = 'get|set|new|remove|add|enable|disable|start|stop|register|unregister|backup|restore|wait|update|invoke|export|import|test|resume|suspend|undo|copy|edit|initialize|move|reset';
// A cmdlet stands on its own: not inside a path, a URL or a page's slug ("…/backup-azure-mars-troubleshoot"
// is no Backup-Az… cmdlet), so neither a slash, dot or word character before it nor a dash after it.
const AZ_CMDLET = new RegExp(`(?<![\\w./-])(?:${VERBS})-Az[A-Za-z]{3,}(?![\\w-])`, 'i');
const OB_CMDLET = new RegExp(`(?<![\\w./-])(?:${VERBS})-OB[A-Za-z]{3,}(?![\\w-])`, 'i');
// "az backup …", "az vm …": the CLI's first word followed by one of its command groups.
const AZ_CLI = /(?:^|[\s`"'>$])az\s+(?:backup|vm|storage|group|account|login|keyvault|network|resource|role|monitor|disk|snapshot)\s+[a-z-]+/;

/** The tool whose commands the text is built around, if any (the first found in the order above). */
export function commandToolIn(text: string): CommandTool | undefined {
  if (AZ_CMDLET.test(text)) return 'az-powershell';
  if (OB_CMDLET.test(text)) return 'mars-powershell';
  if (AZ_CLI.test(text)) return 'azure-cli';
  return undefined;
}

// What a command line is made of besides prose: the cmdlet or CLI command itself, its parameters
// (-WorkHourBandwidth, --resource-group) and PowerShell variables ($policy).
const COMMAND_PARTS = new RegExp(
  `${AZ_CMDLET.source}|${OB_CMDLET.source}|${AZ_CLI.source}|(?<![\\w-])--?[A-Za-z][\\w-]*|\\$[A-Za-z_][\\w:]*`,
  'gi',
);

/**
 * The text without its commands: the cmdlets, their parameters and variables are left out, what the
 * admin says around them stays. A cmdlet's own name and parameters (Start-OBBackup,
 * -WorkHourBandwidth) say what the admin typed, not what went wrong.
 */
export function withoutCommands(text: string): string {
  return text.replace(COMMAND_PARTS, ' ');
}
