// Runs the bundled sample (dist/sample.js) against a gateway under Node.js, once per transport, and prints
// one JSON report per line. Node.js gets the browser's XMLHttpRequest and WebSocket from cometd-nodejs-client,
// taken from webapp/node_modules (GRIDPUSH_ADAPTER) so that this project's only cometd is gridpush-client's.
import { pathToFileURL } from "node:url";

const { adapt } = await import(pathToFileURL(process.env.GRIDPUSH_ADAPTER).href);
adapt();
const { roundTrip } = await import("./dist/sample.js");
const score = JSON.parse(process.env.GRIDPUSH_SCORE);
for (const transport of ["websocket", "long-polling"]) {
    console.log(JSON.stringify(await roundTrip(process.env.GRIDPUSH_URL, transport, score)));
}
// The clients' timers (WebSocket proof, reconnect back-off) would keep Node.js up a few seconds more.
process.exit(0);
