/** JSON-RPC 2.0 error envelopes for failures that happen before the SDK sees a request. */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

export const JSON_RPC_PARSE_ERROR = -32700;
export const JSON_RPC_INVALID_REQUEST = -32600;
export const JSON_RPC_METHOD_NOT_FOUND = -32601;
export const JSON_RPC_INVALID_PARAMS = -32602;
export const JSON_RPC_INTERNAL_ERROR = -32603;
/** A2A's ContentTypeNotSupportedError. */
export const JSON_RPC_CONTENT_TYPE_NOT_SUPPORTED = -32005;
/**
 * Missing or wrong service token. A2A defines no code for it (auth lives in HTTP: the 401 is what
 * matters); -32000 is the first of JSON-RPC's implementation-defined server error codes.
 */
export const JSON_RPC_UNAUTHORIZED = -32000;

export function jsonRpcError(id: string | number | null, code: number, message: string): JsonRpcErrorResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}
