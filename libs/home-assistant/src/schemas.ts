// The response schemas alone (zod, no client, Nest or WebSocket code): for worker threads that
// parse and validate HA answers off the event loop without loading the client.
export { historySchema } from './lib/home-assistant-response-schemas';
