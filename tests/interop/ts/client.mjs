#!/usr/bin/env node
// Drives a running (or spawned) Cyrano server with the official TypeScript MCP SDK client and checks
// that the two agree on the wire. Prints exactly one JSON line on stdout and exits 0 only if every
// check passed.
//
//   node client.mjs [options] stdio [--env KEY=VALUE ...] -- <command> [args ...]
//   node client.mjs [options] http <url>   (streamable HTTP, e.g. http://127.0.0.1:8765/mcp)
//   node client.mjs [options] sse <url>    (legacy HTTP+SSE, e.g. http://127.0.0.1:8765/sse)
//
// Options (anywhere before `--`): --timeout-ms N (per request, default 15000), --deadline-ms N (whole
// run, default 60000), --header "Name: value" (sent on every HTTP request, e.g. an Authorization bearer
// token; repeatable), --calls-past-quota N (after the checks, N more system_info calls, for a server whose
// quota they exceed: each must come back as a result, the refused ones as `rate_limited` tool errors).
// Exit codes: 0 all checks passed, 1 a check failed, 2 bad usage, 3 the run hit its deadline.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { isDeepStrictEqual } from 'node:util';

const USAGE = 'usage: client.mjs [--timeout-ms N] [--deadline-ms N] [--calls-past-quota N] [--header "Name: value" ...] (stdio [--env K=V ...] -- CMD [ARGS...] | http URL | sse URL)';

function parseArgs(argv) {
  const options = { kind: undefined, env: {}, headers: {}, timeoutMs: 15000, deadlineMs: 60000, callsPastQuota: 0, target: undefined, command: [] };
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index];
    if (arg === '--') {
      options.command = argv.slice(index + 1);
      break;
    }
    if (arg === '--env') {
      const pair = argv[index + 1] ?? '';
      const split = pair.indexOf('=');
      if (split <= 0) throw new Error(`--env needs KEY=VALUE, got ${JSON.stringify(pair)}`);
      options.env[pair.slice(0, split)] = pair.slice(split + 1);
      index += 2;
    } else if (arg === '--header') {
      const header = argv[index + 1] ?? '';
      const split = header.indexOf(':');
      if (split <= 0) throw new Error(`--header needs "Name: value", got a value without a colon`);
      options.headers[header.slice(0, split).trim()] = header.slice(split + 1).trim();
      index += 2;
    } else if (arg === '--timeout-ms' || arg === '--deadline-ms' || arg === '--calls-past-quota') {
      const value = Number.parseInt(argv[index + 1] ?? '', 10);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${arg} needs a positive integer`);
      options[{ '--timeout-ms': 'timeoutMs', '--deadline-ms': 'deadlineMs', '--calls-past-quota': 'callsPastQuota' }[arg]] = value;
      index += 2;
    } else if (options.kind === undefined) {
      if (!['stdio', 'http', 'sse'].includes(arg)) throw new Error(`unknown transport ${JSON.stringify(arg)}\n${USAGE}`);
      options.kind = arg;
      index += 1;
    } else if (options.target === undefined && options.kind !== 'stdio') {
      options.target = arg;
      index += 1;
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (options.kind === undefined) throw new Error(USAGE);
  if (options.kind === 'stdio' && options.command.length === 0) throw new Error(`stdio needs a command after --\n${USAGE}`);
  if (options.kind !== 'stdio' && options.target === undefined) throw new Error(`${options.kind} needs a URL\n${USAGE}`);
  return options;
}

function makeTransport(options) {
  if (options.kind === 'stdio') {
    const [command, ...args] = options.command;
    // The SDK passes only an allow-list of the parent's variables (HOME, PATH, ...) plus `env`.
    return new StdioClientTransport({ command, args, env: options.env, stderr: 'inherit' });
  }
  const url = new URL(options.target);
  // requestInit.headers go on every request, including the SSE transport's GET stream.
  const transportOptions = { requestInit: { headers: options.headers } };
  return options.kind === 'http'
    ? new StreamableHTTPClientTransport(url, transportOptions)
    : new SSEClientTransport(url, transportOptions);
}

/** The client calls `transport.setProtocolVersion(v)` after `initialize` when the method exists; record `v`. */
function recordProtocolVersion(transport, summary) {
  const original = typeof transport.setProtocolVersion === 'function' ? transport.setProtocolVersion.bind(transport) : undefined;
  transport.setProtocolVersion = (version) => {
    summary.protocolVersion = version;
    original?.(version);
  };
}

function textOf(result) {
  const block = (result.content ?? []).find((item) => item.type === 'text');
  return block === undefined ? undefined : block.text;
}

async function run(options, summary) {
  const failures = summary.failures;
  const check = (condition, message) => {
    if (!condition) failures.push(message);
    return Boolean(condition);
  };
  const requestOptions = { timeout: options.timeoutMs };

  const transport = makeTransport(options);
  recordProtocolVersion(transport, summary);
  const client = new Client({ name: 'cyrano-interop-ts', version: '0.0.0' }, { capabilities: {} });
  try {
    await client.connect(transport, requestOptions);
    summary.server = client.getServerVersion() ?? null;
    check(summary.protocolVersion !== null, 'the client never learnt the negotiated protocol version');
    check(summary.server?.name === 'cyrano', `serverInfo.name is ${JSON.stringify(summary.server?.name)}, not "cyrano"`);

    // 1. Tools: present, each with an input and an output schema.
    const { tools } = await client.listTools(undefined, requestOptions);
    summary.toolCount = tools.length;
    for (const name of ['matters_create', 'matters_get', 'system_info']) {
      const tool = tools.find((candidate) => candidate.name === name);
      if (!check(tool !== undefined, `tool ${name} is missing from tools/list`)) continue;
      check(tool.inputSchema?.type === 'object', `${name}: inputSchema.type is not "object"`);
      check(tool.outputSchema?.type === 'object', `${name}: has no object outputSchema`);
      check(Object.keys(tool.outputSchema?.properties ?? {}).length > 0, `${name}: outputSchema has no properties`);
    }
    const createTool = tools.find((candidate) => candidate.name === 'matters_create');
    check(
      (createTool?.inputSchema?.required ?? []).includes('client_name'),
      'matters_create: inputSchema does not require client_name',
    );

    // 2. system_info: structured content (the SDK client validates it against the output schema).
    const info = await client.callTool({ name: 'system_info', arguments: {} }, undefined, requestOptions);
    check(!info.isError, `system_info failed: ${textOf(info)}`);
    check(info.structuredContent?.name === 'cyrano', 'system_info: structuredContent.name is not "cyrano"');
    summary.serverProtocolVersions = info.structuredContent?.protocol_versions ?? null;

    // 3. matters_create then matters_get: the structured content round-trips.
    const draft = {
      client_name: 'Interop Client (TypeScript)',
      title: 'Interop v. Wire - protocol conformance',
      practice_area: 'litigation',
      notes: 'Created by tests/interop/ts/client.mjs',
    };
    const created = await client.callTool({ name: 'matters_create', arguments: draft }, undefined, requestOptions);
    if (check(!created.isError, `matters_create failed: ${textOf(created)}`)) {
      const record = created.structuredContent ?? {};
      for (const [key, value] of Object.entries(draft)) {
        check(record[key] === value, `matters_create: ${key} came back as ${JSON.stringify(record[key])}`);
      }
      check(record.status === 'open', `matters_create: status is ${JSON.stringify(record.status)}`);
      const text = textOf(created);
      check(text !== undefined && isDeepStrictEqual(JSON.parse(text), record), 'matters_create: text content differs from structuredContent');
      summary.matterId = record.id ?? null;

      const fetched = await client.callTool(
        { name: 'matters_get', arguments: { matter_id: record.id } },
        undefined,
        requestOptions,
      );
      check(!fetched.isError, `matters_get failed: ${textOf(fetched)}`);
      check(isDeepStrictEqual(fetched.structuredContent, record), 'matters_get: structuredContent differs from what matters_create returned');

      // 4. The matter as a resource.
      const uri = `cyrano://matters/${record.id}`;
      check(record.uri === uri, `matters_create: uri is ${JSON.stringify(record.uri)}, expected ${uri}`);
      const resource = await client.readResource({ uri }, requestOptions);
      const contents = resource.contents ?? [];
      if (check(contents.length === 1 && typeof contents[0].text === 'string', `resources/read ${uri}: expected one text content`)) {
        check(contents[0].uri === uri, `resources/read: content uri is ${JSON.stringify(contents[0].uri)}`);
        check(isDeepStrictEqual(JSON.parse(contents[0].text), record), 'resources/read: the JSON differs from the matter');
      }
      summary.resourceRead = contents.length === 1;

      // 5. The attach menu and the prompts a host shows.
      const listed = await client.listResources(undefined, requestOptions);
      check((listed.resources ?? []).some((item) => item.uri === uri), `resources/list does not list ${uri}`);
      const { prompts } = await client.listPrompts(undefined, requestOptions);
      const names = (prompts ?? []).map((prompt) => prompt.name);
      for (const name of ['summarise_contract', 'find_in_documents']) {
        check(names.includes(name), `prompts/list does not offer ${name}`);
      }
      const found = await client.getPrompt(
        { name: 'find_in_documents', arguments: { question: 'governing law', matter_id: record.id } },
        requestOptions,
      );
      check((found.messages ?? []).length > 0, 'prompts/get find_in_documents: no messages');
      summary.promptsListed = names.length;

      // 6. A contract filed under the matter, then the matter's clause grid (validated against its output schema).
      const contract =
        'SERVICES AGREEMENT\n\nThis Services Agreement is made as of May 8, 2014 between Harbor Analytics LLC ' +
        '("Consultant") and Pier Nine Properties, Inc. (the "Company").\n\n7. Assignment. Neither party may assign ' +
        'this Agreement without the prior written consent of the other party.\n\n8. Governing Law. This Agreement ' +
        'is governed by the laws of the State of California.\n';
      const ingested = await client.callTool(
        { name: 'arkiver_ingest', arguments: { text: contract, matter_id: record.id } },
        undefined,
        requestOptions,
      );
      check(!ingested.isError, `arkiver_ingest failed: ${textOf(ingested)}`);
      const grid = await client.callTool(
        { name: 'arkiver_clauses', arguments: { matter_id: record.id, categories: ['anti_assignment', 'governing_law'] } },
        undefined,
        requestOptions,
      );
      if (check(!grid.isError, `arkiver_clauses failed: ${textOf(grid)}`)) {
        const row = grid.structuredContent?.documents?.[0] ?? {};
        const cells = Object.fromEntries((row.present ?? []).map((item) => [item.category, item]));
        check(cells.anti_assignment?.value?.consent_required === true, `arkiver_clauses: anti_assignment is ${JSON.stringify(cells.anti_assignment)}`);
        check(cells.governing_law?.value?.text === 'California', `arkiver_clauses: governing_law is ${JSON.stringify(cells.governing_law)}`);
        summary.clauseGrid = Object.keys(cells).sort();
      }
      // 7. An AI-style summary of the contract checked against the matter's documents.
      const checked = await client.callTool(
        {
          name: 'potemkin_verify',
          arguments: { text: 'The agreement was made as of 8 May 2014. Nevada law governs it.', matter_id: record.id },
        },
        undefined,
        requestOptions,
      );
      if (check(!checked.isError, `potemkin_verify failed: ${textOf(checked)}`)) {
        const claims = checked.structuredContent?.claims ?? [];
        const verdicts = claims.map((claim) => claim.verdict).join(',');
        check(verdicts === 'supported,contradicted', `potemkin_verify: verdicts are ${verdicts}`);
        check(claims[1]?.source_value === 'California', `potemkin_verify: source value ${claims[1]?.source_value}`);
        summary.verified = verdicts;
      }
      // 8. A contract with a renewal term: the last day for notice of non-renewal, counted from its clauses.
      const supply =
        'SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of March 18, 2010 between Harbor Analytics LLC and ' +
        'Pier Nine Properties, Inc.\n\n2. Term. This Agreement shall expire on March 18, 2015 and shall ' +
        'automatically renew for successive one (1) year periods unless either party gives written notice of ' +
        'non-renewal at least ninety (90) days prior to the expiration of the then-current term.\n';
      const filed = await client.callTool(
        { name: 'arkiver_ingest', arguments: { text: supply, matter_id: record.id } },
        undefined,
        requestOptions,
      );
      check(!filed.isError, `arkiver_ingest (supply) failed: ${textOf(filed)}`);
      const due = await client.callTool(
        { name: 'chronometric_deadlines', arguments: { matter_id: record.id, start: '2014-01-01', end: '2015-12-31' } },
        undefined,
        requestOptions,
      );
      if (check(!due.isError, `chronometric_deadlines failed: ${textOf(due)}`)) {
        const days = (due.structuredContent?.deadlines ?? []).map((item) => `${item.kind}:${item.due}`).join(',');
        check(days === 'non_renewal_notice:2014-12-18,expiry:2015-03-18', `chronometric_deadlines: ${days}`);
        summary.deadlines = days;
      }
    }

    // 6. Bad arguments: a tool result with isError and a field-level message, not a protocol error.
    const bad = await client.callTool(
      { name: 'matters_create', arguments: { title: 'x'.repeat(301), practice_area: 'litigation' } },
      undefined,
      requestOptions,
    );
    const badText = textOf(bad) ?? '';
    summary.badArgumentsMessage = badText;
    check(bad.isError === true, `matters_create with bad arguments: isError is ${JSON.stringify(bad.isError)}`);
    check(badText.startsWith('invalid_input: '), `bad arguments: message does not start with "invalid_input: ": ${badText}`);
    check(badText.includes('client_name'), `bad arguments: message does not name the missing field client_name: ${badText}`);
    check(badText.includes('title'), `bad arguments: message does not name the too-long field title: ${badText}`);

    const badId = await client.callTool({ name: 'matters_get', arguments: { matter_id: 'not-a-uuid' } }, undefined, requestOptions);
    check(badId.isError === true && (textOf(badId) ?? '').includes('matter_id'), `matters_get with a bad id: ${textOf(badId)}`);

    // 6. Calls past the quota: results a model can read (the wait in the text), not a thrown transport error.
    if (options.callsPastQuota > 0) {
      const refusals = [];
      for (let index = 0; index < options.callsPastQuota; index += 1) {
        const result = await client.callTool({ name: 'system_info', arguments: {} }, undefined, requestOptions);
        if (result.isError) refusals.push(textOf(result) ?? '');
      }
      summary.rateLimitedMessages = refusals;
      check(refusals.length > 0, `none of ${options.callsPastQuota} calls past the quota was refused`);
      for (const text of refusals) {
        check(/^rate_limited: .*retry after \d+ s$/.test(text), `a refused call's message: ${text}`);
      }
    }
  } finally {
    if (options.kind === 'http' && typeof transport.terminateSession === 'function' && transport.sessionId !== undefined) {
      try {
        await transport.terminateSession();
      } catch (error) {
        failures.push(`DELETE of the session failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await client.close();
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const summary = {
    ok: false,
    transport: options.kind,
    clientSdk: '@modelcontextprotocol/sdk',
    clientProtocolVersion: LATEST_PROTOCOL_VERSION,
    protocolVersion: null,
    server: null,
    toolCount: null,
    serverProtocolVersions: null,
    matterId: null,
    resourceRead: false,
    promptsListed: 0,
    clauseGrid: null,
    badArgumentsMessage: null,
    rateLimitedMessages: null,
    failures: [],
  };
  const watchdog = setTimeout(() => {
    summary.failures.push(`the run did not finish within ${options.deadlineMs} ms`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exit(3);
  }, options.deadlineMs);
  try {
    await run(options, summary);
  } catch (error) {
    summary.failures.push(`${error?.constructor?.name ?? 'Error'}: ${error instanceof Error ? error.message : String(error)}`);
  }
  clearTimeout(watchdog);
  summary.ok = summary.failures.length === 0;
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = summary.ok ? 0 : 1;
}

await main();
