import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { createErrorIdCatalog } from '../../src/understanding/error-ids';

const kb = loadKnowledge();
const catalog = createErrorIdCatalog(kb.topics.flatMap((t) => t.errorIds));
const all = (text: string) => {
  const found = catalog.extract(text);
  return [...found.strong, ...found.weak];
};

describe('error id extraction', () => {
  it.each([
    ['34513', '34513'],
    ['ID: 34513', '34513'],
    ['Invalid vault credentials provided. (ID: 34513)', '34513'],
    ['Error 34506. The encryption passphrase …', '34506'],
    ['fout 34506 op de server', '34506'],
    ['[0x1FC07]', '0x1FC07'],
    ['interne servicefout 0x1fc07', '0x1FC07'],
    ['1FC07', '0x1FC07'],
    ['(407) Proxy Authentication Required.', '407'],
    ['ID 100050', '100050'],
    ['0x80070005', '0x80070005'],
    ['0x8007018b', '0x8007018B'],
    ['SalLowDiskSpace', 'SalLowDiskSpace'],
    ['backup failed: sallowdiskspace', 'SalLowDiskSpace'],
    ['(SalChecksumStore...) na de update', 'SalChecksumStoreInitializationFailed'],
    ['Fout bij het 345O6.', '34506'],
    ['(lD: 34513)', '34513'],
  ])('finds %j as %s', (text, id) => {
    expect(all(text)).toEqual([id]);
  });

  it.each([
    'Windows 2019 server',
    'port 3128 instead of 8080',
    'MABS v3 agent installatie faalt met ID 348',
    'slmgr /ato returns 0xC004F074',
    'about 200 files in D:\\Archief',
    'since 2024-05-02',
    'Salesforce export',
  ])('finds no id of ours in %j', (text) => {
    expect(all(text)).toEqual([]);
  });

  it('keeps HTTP status codes apart from the agent ids', () => {
    expect(catalog.extract('403 and (ID: 34513)')).toEqual({ strong: ['34513'], weak: ['403'], foreign: [] });
  });
});
