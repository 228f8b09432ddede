// bench/archive_bench: a simulated archive (generated metadata, no images) grown step by step, and
// at each size the three things a clerk waits for: a lookup by số định danh, a search by name (and
// by words), and the add of a 500-record batch. See bench/README.md ("Archive") for how to run it.
//
//   archive_bench URL SIZE[,SIZE…] [--queries N] [--json FILE]
//
// Rows are generated inside the database (a recursive CTE in SQLite, generate_series in
// PostgreSQL) because that is the fast way to make millions; lookups, searches and adds go through
// the real sohoa::archive::Archive, log lines and all.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/store.h"
#include "package/zip.h"

namespace stdfs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Parallel lists: as printed, and folded (what name_key holds).
const std::vector<std::string> kFamily = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"};
const std::vector<std::string> kFamilyF = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly"};
const std::vector<std::string> kMiddle = {"Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Ngọc", "Quốc"};
const std::vector<std::string> kMiddleF = {"van", "thi", "minh", "huu", "duc", "thanh", "ngoc", "quoc"};
const std::vector<std::string> kGiven = {"An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy"};
const std::vector<std::string> kGivenF = {"an", "binh", "cuong", "dung", "ha", "hai", "hung", "lan", "linh", "long", "mai", "nam", "phuc", "quan", "son", "tam", "thao", "trang", "tuan", "vy"};
const std::vector<std::string> kTypes = {"can_cuoc", "giay_khai_sinh", "giay_chung_nhan_ket_hon", "giay_xac_nhan_tinh_trang_hon_nhan", "van_bang", "giay_chung_nhan_qsdd"};

/// Person n's fields, the same in SQL and here (so a query can name someone who exists).
struct Person {
  std::string id, name, name_folded, born;
};
Person person(long long n) {
  Person p;
  char b[32];
  std::snprintf(b, sizeof b, "%012lld", 79000000000LL + n);
  p.id = b;
  p.name = kFamily[n % 16] + " " + kMiddle[(n / 16) % 8] + " " + kGiven[(n / 128) % 20];
  p.name_folded = kFamilyF[n % 16] + " " + kMiddleF[(n / 16) % 8] + " " + kGivenF[(n / 128) % 20];
  const long long day = (n * 7919) % 21900;  // 60 years of birthdays
  std::tm tm{};
  tm.tm_year = 1950 - 1900;
  tm.tm_mday = 1 + static_cast<int>(day);
  tm.tm_hour = 12;
  timegm(&tm);
  std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
  p.born = b;
  return p;
}

std::string sql_list(const std::vector<std::string>& v, bool pg) {
  std::string s = pg ? "ARRAY[" : "'[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + (pg ? "'" + v[i] + "'" : "\"" + v[i] + "\"");
  return s + (pg ? "]" : "]'");
}

/// Adds generated records from..to-1 (and their packages of 500) in the database itself.
void generate(sohoa::archive::Store& st, long long from, long long to) {
  const bool pg = st.dialect() == "postgresql";
  auto pick = [&](const std::vector<std::string>& v, const std::string& idx) {
    return pg ? "(" + sql_list(v, true) + ")[((" + idx + ")::int)+1]" : "json_extract(" + sql_list(v, false) + ", '$[' || (" + idx + ") || ']')";
  };
  const std::string family = pick(kFamily, "n % 16"), familyf = pick(kFamilyF, "n % 16");
  const std::string middle = pick(kMiddle, "(n / 16) % 8"), middlef = pick(kMiddleF, "(n / 16) % 8");
  const std::string given = pick(kGiven, "(n / 128) % 20"), givenf = pick(kGivenF, "(n / 128) % 20");
  const std::string type = pick(kTypes, "n % 6");
  const std::string cat = pg ? " || " : " || ";
  const std::string id = pg ? "lpad((79000000000 + n)::text, 12, '0')" : "printf('%012d', 79000000000 + n)";
  const std::string born = pg ? "to_char(date '1950-01-01' + ((n * 7919) % 21900)::int, 'YYYY-MM-DD')"
                              : "date('1950-01-01', '+' || ((n * 7919) % 21900) || ' days')";
  const std::string issued = pg ? "to_char(date '2000-01-01' + ((n * 104729) % 9000)::int, 'YYYY-MM-DD')"
                                : "date('2000-01-01', '+' || ((n * 104729) % 9000) || ' days')";
  const std::string expires = pg ? "to_char(date '2020-01-01' + ((n * 15485863) % 9000)::int, 'YYYY-MM-DD')"
                                 : "date('2020-01-01', '+' || ((n * 15485863) % 9000) || ' days')";
  const std::string pkg = pg ? "'bench-' || lpad((n / 500)::text, 10, '0')" : "'bench-' || printf('%010d', n / 500)";
  const std::string series = pg ? "generate_series(" + std::to_string(from) + "::bigint, " + std::to_string(to - 1) + "::bigint) AS g(n)"
                                : "c";
  const std::string with = pg ? "" : "WITH RECURSIVE c(n) AS (SELECT " + std::to_string(from) + " UNION ALL SELECT n+1 FROM c WHERE n < " +
                                         std::to_string(to - 1) + ") ";
  const long long pfrom = from / 500, pto = (to - 1) / 500;
  // Packages first (records point at them); one per 500 records, the last may be there already.
  st.query(pg ? "INSERT INTO packages SELECT 'bench-' || lpad(p::text, 10, '0'), 'HS-' || p, '/bench/' || p || '.zip', 1000000, "
                "'2026-01-01T00:00:00Z', 'bench' FROM generate_series(" + std::to_string(pfrom) + ", " + std::to_string(pto) +
                ") AS p ON CONFLICT DO NOTHING"
              : "WITH RECURSIVE c(p) AS (SELECT " + std::to_string(pfrom) + " UNION ALL SELECT p+1 FROM c WHERE p < " +
                    std::to_string(pto) + ") INSERT OR IGNORE INTO packages SELECT 'bench-' || printf('%010d', p), 'HS-' || p, "
                    "'/bench/' || p || '.zip', 1000000, '2026-01-01T00:00:00Z', 'bench' FROM c");
  const std::string sql =
      with + "INSERT INTO records(uid, package_sha256, record_id, record_name, record_sha256, document_sha256, doc_type, so_ky_hieu, "
      "number_key, co_quan_ban_hanh, issuer_key, ngay_ban_hanh, ngay_het_han, ho_ten, name_key, so_dinh_danh, ngay_sinh, pages, "
      "phash, duplicate_of, duplicate_reason, added, added_by, body) SELECT "
      "'bench/' || n, " + pkg + ", 'r' || n, 'HS-' || (n / 500) || '.' || (n % 500 + 1), 'sha-' || n, NULL, " + type + ", "
      "n || '/' || (2000 + n % 25), n || '' || (2000 + n % 25), 'Ủy ban nhân dân phường ' || (n % 300), "
      "'uybannhandanphuong' || (n % 300), " + issued + ", " + expires + ", " +
      family + cat + "' '" + cat + middle + cat + "' '" + cat + given + ", " + familyf + cat + "' '" + cat + middlef + cat + "' '" + cat +
      givenf + ", " + id + ", " + born + ", 1, NULL, NULL, NULL, '2026-01-01T00:00:00Z', 'bench', " +
      "replace(" + type + ", '_', ' ') || ' ' || " + familyf + " || ' ' || " + middlef + " || ' ' || " + givenf + " || ' ' || " + id +
      " || ' uy ban nhan dan phuong ' || (n % 300) || ' so ' || n || ' ' || (2000 + n % 25) || ' cong hoa xa hoi chu nghia viet nam "
      "doc lap tu do hanh phuc' FROM " + series;
  // The person index: each generated record names its holder (field ho_ten), as an add of a
  // card would index it.
  const std::string person_cols = "uid, field, ho_ten, name_key, so_dinh_danh, ngay_sinh";
  st.begin_write();
  if (pg) {
    st.query("WITH ins AS (" + sql + " RETURNING uid, ho_ten, name_key, so_dinh_danh, ngay_sinh) INSERT INTO persons(" + person_cols +
             ") SELECT uid, 'ho_ten', ho_ten, name_key, so_dinh_danh, ngay_sinh FROM ins");
  } else {
    const std::string before = st.query("SELECT coalesce(max(rowid), 0) FROM records")[0][0].value_or("0");
    st.query(sql);
    st.query("INSERT INTO persons(" + person_cols + ") SELECT uid, 'ho_ten', ho_ten, name_key, so_dinh_danh, ngay_sinh FROM records "
             "WHERE rowid > " + before);
  }
  st.commit();
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct Stat {
  double median = 0, p95 = 0, max = 0;
};
Stat stat(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 95 / 100)], v.back()};
}

/// A 500-record OUT of reusable records (metadata and text, no images).
stdfs::path batch_out(const stdfs::path& root, int k) {
  const stdfs::path out = root / ("add-" + std::to_string(k));
  stdfs::remove_all(out);
  json items = json::array();
  std::mt19937 rng(k);
  for (int i = 0; i < 500; ++i) {
    const std::string rid = "b" + std::to_string(k) + "x" + std::to_string(i) + "-p001-001";
    const Person p = person(900000000LL + k * 1000 + i);
    items.push_back({{"path", "HS-B/" + rid + ".pdf"}, {"member", nullptr}, {"dossier", "HS-B" + std::to_string(k)}, {"records", {rid}}});
    json rec = {{"id", rid}, {"class", "reusable"}, {"doc_type", kTypes[i % 6]}, {"pages", json::array({{{"number", 1}}})},
                {"metadata", {{"ho_ten", p.name}, {"so_dinh_danh", p.id}, {"ngay_sinh", p.born}, {"ngay_ban_hanh", "2025-03-0" + std::to_string(1 + i % 9)},
                              {"co_quan_ban_hanh", "Ủy ban nhân dân phường " + std::to_string(rng() % 300)},
                              {"so_ky_hieu", std::to_string(k * 1000 + i) + "/2025"}}}};
    stdfs::create_directories(out / "records" / rid);
    std::ofstream(out / "records" / rid / "record.json") << rec.dump(2);
    std::ofstream(out / "records" / rid / "text.txt") << "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" << p.name << "\n";
  }
  std::ofstream(out / "batch.json") << json({{"items", items}}).dump();
  stdfs::create_directories(out / "packages");
  std::ofstream(out / "packages" / ("HS-B" + std::to_string(k) + ".zip")) << "bench package " << k << " " << ::getpid();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: archive_bench URL SIZE[,SIZE...] [--queries N] [--json FILE]\n");
    return 2;
  }
  const std::string url = argv[1];
  std::vector<long long> sizes;
  for (std::string s = argv[2]; !s.empty();) {
    const auto c = s.find(',');
    sizes.push_back(std::stoll(s.substr(0, c)));
    s = c == std::string::npos ? "" : s.substr(c + 1);
  }
  int queries = 200;
  std::string json_file;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--queries") queries = std::stoi(argv[i + 1]);
    if (std::string(argv[i]) == "--json") json_file = argv[i + 1];
  }
  auto a = sohoa::archive::Archive::open(url);
  auto& st = a->store();
  const stdfs::path tmp = stdfs::temp_directory_path() / ("sohoa-archive-bench-" + std::to_string(::getpid()));
  stdfs::create_directories(tmp);
  json results = json::array();
  long long have = std::stoll(*st.query("SELECT count(*) FROM records WHERE uid LIKE 'bench/%'")[0][0]);
  int batch_k = 0;
  for (long long size : sizes) {
    const auto t0 = Clock::now();
    const long long step = 250000;  // one transaction per step: bounded memory and WAL
    // SQLite: a 1 GB page cache while generating (random-key inserts into four large indexes),
    // back to the default 2 MB before anything is timed.
    if (st.dialect() == "sqlite" && have < size) st.exec_script("PRAGMA cache_size=-1048576");
    for (long long from = have; from < size; from += step) {
      generate(st, from, std::min(size, from + step));
      std::fprintf(stderr, "archive_bench: %s %lld records generated\n", a->backend().c_str(), std::min(size, from + step));
    }
    if (st.dialect() == "sqlite") st.exec_script("PRAGMA cache_size=-2000");
    const double gen_s = ms_since(t0) / 1000;
    have = std::max(have, size);
    st.exec_script("ANALYZE");
    std::mt19937_64 rng(size);
    std::vector<double> by_id, by_name, by_name_only, by_name_all, words;
    size_t found_id = 0, found_name = 0, name_only_shown = 0, name_only_more = 0, name_all_rows = 0;
    for (int q = 0; q < queries; ++q) {
      const Person p = person(static_cast<long long>(rng() % static_cast<unsigned long long>(size)));
      sohoa::archive::PersonQuery pq;
      pq.id = p.id;
      pq.who = "bench";
      auto t = Clock::now();
      found_id += a->lookup(pq).size();
      by_id.push_back(ms_since(t));
      sohoa::archive::PersonQuery nq;
      nq.name = p.name_folded;  // typed without diacritics
      nq.born = p.born;
      nq.who = "bench";
      t = Clock::now();
      found_name += a->lookup(nq).size();
      by_name.push_back(ms_since(t));
      if (q < queries / 4) {
        sohoa::archive::PersonQuery oq;
        oq.name = p.name;
        oq.who = "bench";
        oq.limit = 50;  // what `sohoa lookup --name` shows: the first 50 namesakes by date of birth, and "more"
        bool more = false;
        t = Clock::now();
        const size_t shown = a->lookup(oq, &more).size();
        by_name_only.push_back(ms_since(t));
        name_only_shown += shown;
        name_only_more += more;
        oq.limit = 0;  // every namesake: ~size/2560 rows
        t = Clock::now();
        name_all_rows += a->lookup(oq).size();
        by_name_all.push_back(ms_since(t));
        sohoa::archive::SearchQuery sq;
        sq.text = p.name_folded + " " + std::to_string(2000 + (rng() % 25));
        sq.who = "bench";
        sq.limit = 50;
        t = Clock::now();
        a->search(sq);
        words.push_back(ms_since(t));
      }
    }
    std::vector<double> adds;
    for (int r = 0; r < 3; ++r) {
      const stdfs::path out = batch_out(tmp, ++batch_k + static_cast<int>(size % 100000));
      const auto t = Clock::now();
      const auto s = a->add(out, "bench");
      adds.push_back(ms_since(t));
      if (s.records_added != 500) std::fprintf(stderr, "archive_bench: add wrote %d records, not 500\n", s.records_added);
      stdfs::remove_all(out);
    }
    const long long total = std::stoll(*st.query("SELECT count(*) FROM records")[0][0]);
    auto js = [](const Stat& s) { return json{{"median_ms", s.median}, {"p95_ms", s.p95}, {"max_ms", s.max}}; };
    json r = {{"backend", a->backend()}, {"records", total}, {"generated_s", gen_s}, {"queries", queries},
              {"lookup_id", js(stat(by_id))}, {"lookup_name_born", js(stat(by_name))}, {"lookup_name_first_page", js(stat(by_name_only))},
              {"lookup_name_all_namesakes", js(stat(by_name_all))},
              {"name_first_page_shown", static_cast<double>(name_only_shown) / by_name_only.size()},
              {"name_first_page_more", static_cast<double>(name_only_more) / by_name_only.size()},
              {"namesakes_per_name", static_cast<double>(name_all_rows) / by_name_all.size()},
              {"search_words", js(stat(words))}, {"add_500", js(stat(adds))},
              {"found_per_id_lookup", static_cast<double>(found_id) / queries}, {"found_per_name_lookup", static_cast<double>(found_name) / queries}};
    std::printf("%s\n", r.dump().c_str());
    std::fflush(stdout);
    results.push_back(r);
    if (!json_file.empty()) std::ofstream(json_file) << results.dump(2) << "\n";
  }
  stdfs::remove_all(tmp);
  return 0;
}
