/**
 * Every gateway route is served under `/api/v1` and under `/v1`, so clients configured with
 * either base URL (Open WebUI, the openai SDK, LangChain) work.
 */
export const GATEWAY_ROUTE_PREFIXES = ['api/v1', 'v1'];
