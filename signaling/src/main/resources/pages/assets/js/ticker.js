// The heartbeat's clock (see protocol.js): a worker's timers keep time in background tabs.
let timer = null;
onmessage = (e) => {
  clearInterval(timer);
  timer = setInterval(() => postMessage('tick'), e.data);
};
