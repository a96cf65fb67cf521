import { CSV_COLUMNS, runTicketsCommand } from '../../src/cli/tickets-command';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import { ticketInput } from '../support/ticket-fixtures';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

async function fixture(): Promise<Store> {
  const store = createMemoryStore();
  await store.createTicket(ticketInput({ idempotencyKey: 'a' }), T0);
  await store.createTicket(
    ticketInput({
      idempotencyKey: 'b',
      channel: 'slack',
      userName: 'Smith, "Bob"',
      lang: 'en',
      topic: 'agent-cannot-connect',
      errorIds: ['100050', '407'],
      urgency: 'normal',
      description: 'Proxy says 407,\nthen "connection refused"\n=HYPERLINK("http://evil")',
    }),
    T0 + 60_000,
  );
  await store.createTicket(ticketInput({ idempotencyKey: 'c', topic: null, case: null }), T0 + 120_000);
  await store.updateTicketStatus('MARS-1002', 'claimed', 'Piet Jansen', T0 + 180_000);
  return store;
}

async function run(store: Store, args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runTicketsCommand({ store }, args, (line) => lines.push(line));
  return { code, lines };
}

/** A small RFC 4180 reader, so the test checks what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('marsbot tickets', () => {
  it('lists tickets newest first in a table', async () => {
    const { code, lines } = await run(await fixture(), ['list']);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+CREATED\s+CHANNEL\s+USER\s+TOPIC\s+URGENCY\s+CLAIMED BY$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['MARS-1003', 'MARS-1002', 'MARS-1001']);
    const claimedRow = lines.find((l) => l.startsWith('MARS-1002'))!;
    expect(claimedRow).toContain('claimed');
    expect(claimedRow).toContain('2025-01-06 09:01Z');
    expect(claimedRow).toContain('agent-cannot-connect');
    expect(claimedRow).toMatch(/Piet Jansen$/);
    // Columns line up: every row starts its STATUS column at the same place.
    const statusAt = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(statusAt)).toMatch(/^(open|claimed)/);
  });

  it('filters by status and rejects an unknown one', async () => {
    const store = await fixture();
    const open = await run(store, ['list', '--status', 'open']);
    expect(open.lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['MARS-1003', 'MARS-1001']);
    expect((await run(store, ['tickets', 'list', '--status=resolved'])).lines).toEqual(['No tickets.']);
    const wrong = await run(store, ['list', '--status', 'closed']);
    expect(wrong.code).toBe(2);
    expect(wrong.lines[0]).toContain('closed');
  });

  it('shows one ticket with its description and transcript', async () => {
    const { code, lines } = await run(await fixture(), ['show', 'mars-1002']);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(lines[0]).toBe('MARS-1002');
    expect(text).toMatch(/Claimed by\s+Piet Jansen/);
    expect(text).toMatch(/Error ids\s+100050, 407/);
    expect(text).toContain('  Proxy says 407,');
    expect(text).toContain('User: fout 34513 bij registreren');
  });

  it('says so when a ticket does not exist', async () => {
    const { code, lines } = await run(await fixture(), ['show', 'MARS-4242']);
    expect(code).toBe(1);
    expect(lines).toEqual(['No ticket MARS-4242.']);
  });

  it('exports CSV that a spreadsheet reads back field for field, with formulas defused', async () => {
    const { code, lines } = await run(await fixture(), ['export', '--format', 'csv']);
    expect(code).toBe(0);
    const rows = parseCsv(lines.join('\n') + '\n');
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const bob = rows.find((r) => r[0] === 'MARS-1002')!;
    const field = (name: (typeof CSV_COLUMNS)[number]): string => bob[CSV_COLUMNS.indexOf(name)]!;
    expect(bob).toHaveLength(CSV_COLUMNS.length);
    expect(field('userName')).toBe('Smith, "Bob"');
    expect(field('description')).toBe('Proxy says 407,\nthen "connection refused"\n=HYPERLINK("http://evil")');
    expect(field('errorIds')).toBe('100050 407');
    expect(field('claimedBy')).toBe('Piet Jansen');
    expect(field('createdAt')).toBe('2025-01-06T09:01:00.000Z');

    const formula = await run(await (async () => {
      const store = createMemoryStore();
      await store.createTicket(ticketInput({ description: '=1+2' }), T0);
      return store;
    })(), ['export']);
    const [, row] = parseCsv(formula.lines.join('\n') + '\n');
    expect(row![CSV_COLUMNS.indexOf('description')]).toBe("'=1+2");
  });

  it('exports JSON oldest first without the internal idempotency key', async () => {
    const { lines } = await run(await fixture(), ['export', '--format=json']);
    const tickets = JSON.parse(lines.join('\n')) as Record<string, unknown>[];
    expect(tickets.map((t) => t['id'])).toEqual(['MARS-1001', 'MARS-1002', 'MARS-1003']);
    expect(tickets[0]).not.toHaveProperty('idempotencyKey');
    expect(tickets[1]!['status']).toBe('claimed');
  });

  it('rejects an unknown format or subcommand with the usage line', async () => {
    const store = await fixture();
    expect((await run(store, ['export', '--format', 'xml'])).code).toBe(2);
    const usage = await run(store, ['delete']);
    expect(usage.code).toBe(2);
    expect(usage.lines[0]).toBe('marsbot tickets: unknown subcommand "delete". See: marsbot tickets --help');
    expect(usage.lines[1]).toMatch(/^Usage: marsbot tickets list/);
  });

  it('speaks Dutch when asked', async () => {
    const lines: string[] = [];
    await runTicketsCommand({ store: await fixture() }, ['show', 'MARS-9'], (l) => lines.push(l), 'nl');
    expect(lines).toEqual(['Ticket MARS-9 bestaat niet.']);
  });
});
