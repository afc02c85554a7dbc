/**
 * A scripted OpenAI-compatible test server (NOT a model): `POST /v1/chat/completions` answers from a script of
 * replies, with `usage` fields, so LLM agents can be tested and demonstrated without a model or a network. Replies
 * can be valid or broken on purpose: malformed JSON, a wrong schema, slower than the client's timeout, 429 with
 * `Retry-After`, 500. Listens on 127.0.0.1 (an ephemeral port by default).
 *
 * As a library (tests): `const s = await startLlmStubServer([{ content: '{"subgoal":"explore"}' }, { status: 429, headers: { 'retry-after': '0' } }])`
 * then point the client at `s.url`; `s.requests` holds every request body, `s.maxConcurrent` the peak in flight.
 *
 * As a dev tool: `node --import tsx scripts/llm-stub-server.ts [--port 8089]` prints its URL, then answers every
 * planner prompt with the first step of the plan the prompt itself lists (the line `Next steps: ...`), or `explore`:
 * a stand-in to try `canopy run --agent llm --llm-base-url http://127.0.0.1:8089/v1` end to end.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a completion with `content`, or an HTTP error `status`; either after `delayMs`. */
export type StubReply =
  | { readonly content: string; readonly delayMs?: number }
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>>; readonly delayMs?: number };

export interface StubRequest {
  readonly model: string;
  readonly messages: readonly { role: string; content: string }[];
  readonly [key: string]: unknown;
}

/** Decides the reply to the `index`-th request (0-based). */
export type StubScript = (request: StubRequest, index: number) => StubReply;

export interface LlmStubServer {
  /** Base URL for an OpenAI client (`http://127.0.0.1:<port>/v1`). */
  readonly url: string;
  /** Every chat-completions request body, in arrival order. */
  readonly requests: StubRequest[];
  /** Most requests in flight at once so far. */
  readonly maxConcurrent: number;
  close(): Promise<void>;
}

/** A script from a list: reply i to request i, the last reply for every request after the list. */
export function scriptOf(replies: readonly StubReply[]): StubScript {
  if (replies.length === 0) throw new RangeError('a stub script needs at least one reply');
  return (_req, i) => replies[Math.min(i, replies.length - 1)]!;
}

/** Rough token count (4 characters a token): deterministic, enough for accounting tests. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export async function startLlmStubServer(script: StubScript | readonly StubReply[], opts: { port?: number } = {}): Promise<LlmStubServer> {
  const decide = typeof script === 'function' ? script : scriptOf(script);
  const requests: StubRequest[] = [];
  const state = { inFlight: 0, maxConcurrent: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: StubRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StubRequest;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'body is not JSON' } }));
      return;
    }
    const index = requests.length;
    requests.push(body);
    state.inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, state.inFlight);
    const reply = decide(body, index);
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { timers.delete(t); resolve(); }, reply.delayMs);
        timers.add(t);
        res.once('close', () => { clearTimeout(t); timers.delete(t); resolve(); }); // the client gave up
      });
    }
    state.inFlight--;
    if (res.destroyed || res.writableEnded) return;
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, type: 'stub' } }));
      return;
    }
    const prompt = body.messages.map((m) => m.content).join('\n');
    const usage = { prompt_tokens: tokens(prompt), completion_tokens: tokens(reply.content) };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: `stub-${index}`, object: 'chat.completion', created: 0, model: body.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content } }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    }));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(JSON.stringify({ error: { message: String(err) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxConcurrent() { return state.maxConcurrent; },
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The dev tool's script: the first subgoal of the `Next steps:` line of the last user message (the plan the agent's
 * own prompt lists), else `explore`. Repair prompts get the same treatment.
 */
export const followListedPlan: StubScript = (req) => {
  const last = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const line = /Next steps:\s*([a-z_]+)/.exec(last);
  const subgoal = line && line[1] !== 'none' ? line[1]! : 'explore';
  return { content: JSON.stringify({ goal: 'collect a diamond', subgoal }) };
};

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 8089;
  const s = await startLlmStubServer(followListedPlan, { port });
  process.stdout.write(`scripted LLM stub server (not a model) at ${s.url}\n`);
  process.on('SIGINT', () => void s.close().then(() => process.exit(0)));
}
