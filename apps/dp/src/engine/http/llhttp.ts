import { createRequire } from "node:module";

// Node's own llhttp binding, as its http server and ClientRequest use it. The engine parses on its sockets itself,
// without IncomingMessage, ServerResponse, ClientRequest and http.Agent per request: those were most of a proxied
// request's CPU time in the profiles of bench/dp. `_http_common` is internal: a Node upgrade should re-run the tests.
export interface Parser {
  initialize(type: number, resource: object, maxHeaderSize?: number, lenient?: number): void;
  execute(data: Buffer): number | (Error & { code?: string });
  finish(): number | Error | undefined;
  close(): void;
  [callback: number]: unknown;
}

interface HttpCommon {
  HTTPParser: { new (): Parser; REQUEST: number; RESPONSE: number; kOnHeaders: number; kOnHeadersComplete: number; kOnBody: number; kOnMessageComplete: number };
  /** Method names by the index the parser reports. */
  methods: string[];
  _checkIsHttpToken(name: string): boolean;
  _checkInvalidHeaderChar(value: string): boolean;
}

const common = createRequire(import.meta.url)("_http_common") as HttpCommon;

export const { HTTPParser, methods } = common;
export const isHttpToken = common._checkIsHttpToken;
export const hasInvalidHeaderChar = common._checkInvalidHeaderChar;
