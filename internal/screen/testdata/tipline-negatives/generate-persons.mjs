// Generates the person names of the tip-line negative set (see README.md):
// names drawn by @faker-js/faker from its ko, zh_CN, ru and ja locales with a
// fixed seed, each written in the forms people write them. Run with
// @faker-js/faker@10 and pinyin-pro installed outside the repository:
//
//	cd /tmp/x && npm install @faker-js/faker@10 pinyin-pro
//	NODE_PATH=/tmp/x/node_modules node generate-persons.mjs > persons.csv
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { fakerKO, fakerZH_CN, fakerRU, fakerJA } = require("@faker-js/faker");
const { pinyin } = require("pinyin-pro");

const PER_LOCALE = { ko: 160, zh: 130, ru: 130, ja: 70 };
const rows = [];
let group = 0;
function emit(cls, script, form, name) {
  rows.push([name, cls, script, form, String(group)]);
}

// --- Korean -------------------------------------------------------------
// Hangul syllables decompose into initial, medial and final jamo.
const INITIAL_RR = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];
const MEDIAL_RR = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"];
const FINAL_RR = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"];
// McCune–Reischauer without breves or apostrophes, as DPRK names appear in
// English-language documents (ŏ and ŭ written o and u).
const INITIAL_MR = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"];
const MEDIAL_MR = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"];
const FINAL_MR = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"];
// MR voices k, t, p and ch after a vowel or a sonorant inside a word.
const VOICED = { k: "g", t: "d", p: "b", ch: "j" };

function jamo(s) {
  return [...s].map((c) => {
    const n = c.codePointAt(0) - 0xac00;
    return { i: Math.floor(n / 588), m: Math.floor((n % 588) / 28), f: n % 28 };
  });
}
function rrSyllable(j) {
  return INITIAL_RR[j.i] + MEDIAL_RR[j.m] + FINAL_RR[j.f];
}
function mrWord(s) {
  let out = "";
  let prevSonorant = false;
  for (const j of jamo(s)) {
    let ini = INITIAL_MR[j.i];
    if (prevSonorant && VOICED[ini]) ini = VOICED[ini];
    out += ini + MEDIAL_MR[j.m] + FINAL_MR[j.f];
    prevSonorant = j.f === 0 || [4, 8, 16, 21].includes(j.f); // vowel, n, l, m, ng
  }
  return out;
}
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
// The spellings South and North Korean documents use for common surnames.
const SURNAME_SOUTH = { 김: "Kim", 이: "Lee", 박: "Park", 최: "Choi", 정: "Jung", 강: "Kang", 조: "Cho", 윤: "Yoon", 장: "Jang", 임: "Lim", 한: "Han", 오: "Oh", 서: "Seo", 신: "Shin", 권: "Kwon", 황: "Hwang", 안: "Ahn", 송: "Song", 류: "Ryu", 유: "Yoo", 전: "Jeon", 홍: "Hong", 고: "Ko", 문: "Moon", 양: "Yang", 손: "Son", 배: "Bae", 백: "Baek", 허: "Heo", 남: "Nam", 심: "Shim", 노: "Noh", 하: "Ha", 곽: "Kwak", 성: "Sung", 차: "Cha", 주: "Joo", 우: "Woo", 구: "Koo", 민: "Min", 진: "Jin", 나: "Na", 지: "Ji", 엄: "Eom", 변: "Byun", 채: "Chae", 원: "Won", 천: "Cheon", 방: "Bang", 공: "Kong", 현: "Hyun", 함: "Ham", 염: "Yeom", 여: "Yeo", 추: "Choo", 도: "Do", 석: "Seok", 선: "Sun", 설: "Seol", 길: "Gil", 표: "Pyo", 명: "Myung", 기: "Ki", 금: "Keum", 육: "Yook", 탁: "Tak", 국: "Kook", 경: "Kyung", 봉: "Bong", 부: "Boo" };
const SURNAME_NORTH = { 김: "Kim", 이: "Ri", 박: "Pak", 최: "Choe", 정: "Jong", 강: "Kang", 조: "Jo", 윤: "Yun", 장: "Jang", 임: "Rim", 한: "Han", 오: "O", 서: "So", 신: "Sin", 권: "Kwon", 황: "Hwang", 안: "An", 송: "Song", 류: "Ryu", 유: "Ryu", 전: "Jon", 홍: "Hong", 고: "Ko", 문: "Mun", 양: "Ryang", 손: "Son", 배: "Pae", 백: "Paek", 허: "Ho", 남: "Nam", 심: "Sim", 노: "Ro", 하: "Ha", 곽: "Kwak", 성: "Song", 차: "Cha", 주: "Ju", 우: "U", 구: "Ku", 민: "Min", 진: "Jin", 나: "Ra", 지: "Ji", 엄: "Om", 변: "Pyon", 채: "Chae", 원: "Won", 천: "Chon", 방: "Pang", 공: "Kong", 현: "Hyon", 함: "Ham", 염: "Ryom", 여: "Ryo", 추: "Chu", 도: "To", 석: "Sok", 선: "Son", 설: "Sol", 길: "Kil", 표: "Pyo", 명: "Myong", 기: "Ki", 금: "Kum", 육: "Ryuk", 탁: "Thak", 국: "Kuk", 경: "Kyong", 봉: "Pong", 부: "Pu" };

fakerKO.seed(14001);
for (let n = 0; n < PER_LOCALE.ko; n++, group++) {
  const family = fakerKO.person.lastName();
  const given = fakerKO.person.firstName();
  if (!/^[가-힣]+$/.test(family + given)) continue;
  const gj = jamo(given);
  const fSouth = SURNAME_SOUTH[family] ?? cap(jamo(family).map(rrSyllable).join(""));
  const fNorth = SURNAME_NORTH[family] ?? cap(mrWord(family));
  const rr = gj.map(rrSyllable);
  const mr = [...given].map((c, k) => (k === 0 ? mrWord(c) : mrWord(given).slice(mrWord(given.slice(0, k)).length)));
  emit("person ko", "Hangul", "family first", family + given);
  emit("person ko", "Latin", "Revised Romanisation, family last", cap(rr.join("")) + " " + fSouth);
  emit("person ko", "Latin", "Revised Romanisation, family first, hyphen", fSouth + " " + cap(rr.join("-")));
  emit("person ko", "Latin", "McCune–Reischauer (DPRK), family first", fNorth + " " + mr.map(cap).join(" "));
}

// --- Chinese ------------------------------------------------------------
fakerZH_CN.seed(14002);
for (let n = 0; n < PER_LOCALE.zh; n++, group++) {
  const family = fakerZH_CN.person.lastName();
  const given = fakerZH_CN.person.firstName();
  const py = pinyin(family + given, { toneType: "none", type: "array", surname: "head", v: true });
  const nf = [...family].length;
  const fam = cap(py.slice(0, nf).join(""));
  const giv = py.slice(nf);
  emit("person zh", "Han", "family first", family + given);
  emit("person zh", "Latin", "pinyin, family first", fam + " " + cap(giv.join("")));
  emit("person zh", "Latin", "pinyin, family last", cap(giv.join("")) + " " + fam);
  emit("person zh", "Latin", "pinyin, family first, syllables apart", fam.toUpperCase() + " " + giv.map(cap).join(" "));
}

// --- Russian ------------------------------------------------------------
// Passport (ICAO 9303, 2013) transliteration.
const RU = { а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "i", к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "ie", ы: "y", ь: "", э: "e", ю: "iu", я: "ia" };
const lat = (s) => cap([...s.toLowerCase()].map((c) => RU[c] ?? c).join(""));
fakerRU.seed(14003);
for (let n = 0; n < PER_LOCALE.ru; n++, group++) {
  const sex = n % 2 === 0 ? "male" : "female";
  const family = fakerRU.person.lastName(sex);
  const given = fakerRU.person.firstName(sex);
  const patronymic = fakerRU.person.middleName(sex);
  emit("person ru", "Cyrillic", "family first, patronymic", `${family} ${given} ${patronymic}`);
  emit("person ru", "Cyrillic", "family last", `${given} ${family}`);
  emit("person ru", "Latin", "passport transliteration, family last", `${lat(given)} ${lat(family)}`);
  emit("person ru", "Latin", "passport transliteration, family first, patronymic", `${lat(family).toUpperCase()}, ${lat(given)} ${lat(patronymic)}`);
}

// --- Japanese -----------------------------------------------------------
// faker's ja names are kanji or kana; without a reading dictionary they are
// kept in the script faker gives.
fakerJA.seed(14004);
for (let n = 0; n < PER_LOCALE.ja; n++, group++) {
  const family = fakerJA.person.lastName();
  const given = fakerJA.person.firstName();
  emit("person ja", "Han/Kana", "family first", family + given);
  emit("person ja", "Han/Kana", "family first, spaced", family + " " + given);
}

const q = (s) => (/[",]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
console.log("name,class,script,form,group");
for (const r of rows) console.log(r.map(q).join(","));
