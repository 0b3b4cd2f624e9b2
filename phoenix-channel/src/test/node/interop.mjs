// Runs the official phoenix JavaScript client against a zonewire channel server.
// Usage: node interop.mjs <ws-url-of-socket> <vsn>
// Prints one JSON line with what happened and exits 0 when every check passed.
import { Socket } from "phoenix";
import WebSocket from "ws";

const [endpoint, vsn] = process.argv.slice(2);
const HEARTBEATS_WANTED = 3;
const result = { vsn, joined: false, reply: null, errorReply: null, broadcast: null, heartbeatReplies: 0, closes: 0, errors: [] };

// The V1 serializer is a JSON object per frame; the client's own default is V2 arrays.
const v1 = {
  encode: (msg, callback) => callback(JSON.stringify(msg)),
  decode: (raw, callback) => callback(JSON.parse(raw)),
};

const socket = new Socket(endpoint, {
  transport: WebSocket,
  params: { token: "js-token" },
  vsn,
  heartbeatIntervalMs: 1000,
  reconnectAfterMs: () => 60000,
  logger: process.env.PHX_DEBUG ? (kind, msg, data) => console.error(kind, msg, JSON.stringify(data)) : undefined,
  ...(vsn.startsWith("1.") ? v1 : {}),
});

function finish(ok) {
  console.log(JSON.stringify({ ok, ...result }));
  socket.disconnect(() => process.exit(ok ? 0 : 1));
  setTimeout(() => process.exit(ok ? 0 : 1), 500);
}

setTimeout(() => { result.errors.push("timed out"); finish(false); }, 15000);

socket.onError((error) => result.errors.push("socket error: " + (error && error.message)));
socket.onClose(() => { result.closes += 1; });
socket.onMessage((message) => {
  if (message.topic === "phoenix" && message.event === "phx_reply" && message.payload.status === "ok") {
    result.heartbeatReplies += 1;
    maybeDone();
  }
});
socket.connect();

const channel = socket.channel("room:lobby", { nickname: "node" });
channel.on("shout", (payload) => { result.broadcast = payload; maybeDone(); });
channel.join()
  .receive("ok", () => {
    result.joined = true;
    channel.push("ping", { n: 7 })
      .receive("ok", (response) => { result.reply = response; maybeDone(); })
      .receive("error", (e) => result.errors.push("ping refused: " + JSON.stringify(e)));
    channel.push("refuse_me", {})
      .receive("error", (response) => { result.errorReply = response; maybeDone(); })
      .receive("ok", () => result.errors.push("refuse_me was accepted"));
    channel.push("shout", { text: "hello everyone" });
  })
  .receive("error", (e) => { result.errors.push("join refused: " + JSON.stringify(e)); finish(false); });

function maybeDone() {
  if (result.joined && result.reply && result.errorReply && result.broadcast && result.heartbeatReplies >= HEARTBEATS_WANTED) {
    finish(result.errors.length === 0 && result.closes === 0);
  }
}
