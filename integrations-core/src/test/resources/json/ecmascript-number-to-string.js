// Writes "<ieee754 bits as 16 hex digits> <String(x) as V8 prints it>" lines.
const buf = new DataView(new ArrayBuffer(8));
const lines = [];
function add(x) {
  buf.setFloat64(0, x);
  lines.push(buf.getBigUint64(0).toString(16).padStart(16, "0") + " " + String(x));
}
for (let k = -1074; k <= 1023; k++) add(Math.pow(2, k));
let seed = 88172645463325252n;
function next() { seed ^= (seed << 13n) & 0xffffffffffffffffn; seed ^= seed >> 7n; seed ^= (seed << 17n) & 0xffffffffffffffffn; return seed; }
for (let i = 0; i < 1000; ) {
  buf.setBigUint64(0, next());
  const x = buf.getFloat64(0);
  if (Number.isFinite(x)) { add(x); i++; }
}
for (let i = 0; i < 300; i++) add(Number(next() % 100000000n) / Math.pow(10, Number(next() % 12n)));
console.log(lines.join("\n"));
