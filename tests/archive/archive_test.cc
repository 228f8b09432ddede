// The archive across batches, one suite run against both back ends: an SQLite file and a real
// PostgreSQL started for the run (tests/tools/pg_temp.sh), or the one named by SOHOA_TEST_PG_URL.
// With CI=true a PostgreSQL that cannot be started fails the suite instead of skipping it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <barrier>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/archive.h"
#include "archive/store.h"
#include "core/error.h"
#include "doctypes/doctypes.h"
#include "package/zip.h"

namespace stdfs = std::filesystem;
using json = nlohmann::json;
using sohoa::archive::Archive;
using sohoa::archive::Document;
using sohoa::archive::PersonQuery;

namespace {

std::string g_pg_url;      // superuser URL of the test server (database "sohoa")
std::string g_pg_problem;  // why there is none
stdfs::path g_pg_dir;
stdfs::path g_root;

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), p)) out += buf.data();
  if (pclose(p) != 0) return "";
  while (!out.empty() && (out.back() == '\n')) out.pop_back();
  return out;
}

class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    g_root = stdfs::temp_directory_path() / ("sohoa-archive-test-" + std::to_string(::getpid()));
    stdfs::remove_all(g_root);
    stdfs::create_directories(g_root);
    if (const char* u = std::getenv("SOHOA_TEST_PG_URL"); u && *u) {
      g_pg_url = u;
      return;
    }
    g_pg_dir = g_root / "pg";
    g_pg_url = sh("bash " SOHOA_TESTS_DIR "/tools/pg_temp.sh start " + g_pg_dir.string() + " 2>" + (g_root / "pg.err").string());
    if (g_pg_url.empty()) {
      std::ifstream err(g_root / "pg.err");
      g_pg_problem = "cannot start PostgreSQL: " + std::string(std::istreambuf_iterator<char>(err), {});
    }
  }
  void TearDown() override {
    if (!g_pg_dir.empty()) sh("bash " SOHOA_TESTS_DIR "/tools/pg_temp.sh stop " + g_pg_dir.string());
    stdfs::remove_all(g_root);
  }
};
const auto* g_env = ::testing::AddGlobalTestEnvironment(new PgEnvironment);

void write(const stdfs::path& p, const std::string& bytes) {
  stdfs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

/// A one-page PDF showing a 32x32 grey image: the pattern decides the perceptual hash.
std::string image_pdf(unsigned seed) {
  std::string px(32 * 32, '\0');
  unsigned v = seed * 2654435761u + 1;
  for (char& c : px) c = static_cast<char>((v = v * 1664525u + 1013904223u) >> 24);
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1024 >>\nstream\n" +
          px + "\nendstream",
  };
  const std::string content = "q 595 0 0 842 0 0 cm /Im0 Do Q";
  objs.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t o : offsets) {
    char b[32];
    std::snprintf(b, sizeof b, "%010zu 00000 n \n", o);
    pdf += b;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

struct Rec {
  std::string id, doc_type, cls = "reusable";
  json metadata = json::object();
  int image = -1;  // document.pdf with image_pdf(image); -1: none
  std::string text = "";
};

/// A sohoa output folder as a run leaves it, for what the archive reads: batch.json, the
/// records, and one package zip per dossier (its bytes only matter for their sha256).
stdfs::path make_out(const std::string& name, const std::string& dossier, const std::vector<Rec>& recs) {
  const stdfs::path out = g_root / "outs" / name;
  stdfs::remove_all(out);
  json items = json::array();
  for (const Rec& r : recs) {
    items.push_back({{"path", dossier + "/" + r.id + ".pdf"}, {"member", nullptr}, {"dossier", dossier}, {"records", {r.id}}});
    json rec = {{"id", r.id}, {"class", r.cls}, {"doc_type", r.doc_type}, {"archive", r.cls == "reusable"},
                {"metadata", r.metadata}, {"pages", json::array({{{"number", 1}}})}};
    write(out / "records" / r.id / "record.json", rec.dump(2));
    write(out / "records" / r.id / "text.txt", r.text);
    if (r.image >= 0) write(out / "records" / r.id / "document.pdf", image_pdf(static_cast<unsigned>(r.image)));
  }
  write(out / "batch.json", json({{"items", items}}).dump(2));
  write(out / "packages" / (dossier + ".zip"), "PK package of " + name + " " + dossier);
  return out;
}

std::string sha256_file(const stdfs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return sohoa::package::sha256_of(std::string(std::istreambuf_iterator<char>(f), {}));
}

json card(const std::string& name, const std::string& id, const std::string& born, const std::string& issued,
          const std::string& expires) {
  json m = {{"ho_ten", name}, {"so_dinh_danh", id}, {"ngay_sinh", born}, {"ngay_ban_hanh", issued},
            {"co_quan_ban_hanh", "CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"}};
  if (!expires.empty()) m["ngay_het_han"] = expires;
  return m;
}

int count(Archive& a, const std::string& table, const std::string& where = "") {
  auto rows = a.store().query("SELECT count(*) FROM " + table + (where.empty() ? "" : " WHERE " + where));
  return std::stoi(*rows[0][0]);
}

class ArchiveTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static int n = 0;
    ++n;
    if (GetParam() == "sqlite") {
      url_ = (g_root / ("archive-" + std::to_string(n) + ".sqlite")).string();
      return;
    }
    if (g_pg_url.empty()) {
      if (in_ci()) FAIL() << "CI=true and no PostgreSQL: " << g_pg_problem;
      GTEST_SKIP() << "no PostgreSQL here (" << g_pg_problem << "); CI fails instead of skipping";
    }
    // A database of its own for every test.
    const std::string db = "t" + std::to_string(::getpid()) + "_" + std::to_string(n);
    auto admin = sohoa::archive::open_postgresql(g_pg_url);
    admin->exec_script("CREATE DATABASE " + db);
    url_ = with_db(g_pg_url, db);
  }
  static std::string with_db(const std::string& url, const std::string& db) {
    const auto q = url.find('?');
    const auto slash = url.rfind('/', q);
    return url.substr(0, slash + 1) + db + (q == std::string::npos ? "" : url.substr(q));
  }
  std::unique_ptr<Archive> open() { return Archive::open(url_); }
  std::string url_;
};

TEST_P(ArchiveTest, OnlyReusableRecordsEnterWithTheirPackageAndFixity) {
  const auto out = make_out("a", "HS-000001",
                            {{"r1-p001-001", "can_cuoc", "reusable", card("Nguyễn Văn An", "079203001234", "2003-05-14", "2021-04-10", "2043-05-14")},
                             {"r2-p002-002", "don", "single_use", {{"ho_ten", "Nguyễn Văn An"}, {"so_dinh_danh", "079203001234"}}}});
  auto a = open();
  EXPECT_EQ(a->schema_version(), 2);
  const auto s = a->add(out, "clerk1");
  EXPECT_EQ(s.records_added, 1);
  EXPECT_EQ(s.single_use, 1);
  EXPECT_EQ(s.packages_added, 1);
  PersonQuery q;
  q.id = "079203001234";
  q.who = "clerk2";
  q.today = "2026-12-01";
  const auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  const Document& d = docs[0];
  EXPECT_EQ(d.doc_type, "can_cuoc");
  EXPECT_EQ(d.type_name, "Căn cước");
  EXPECT_EQ(d.ngay_ban_hanh, "2021-04-10");
  EXPECT_EQ(d.co_quan_ban_hanh, "CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI");
  EXPECT_EQ(d.dossier, "HS-000001");
  EXPECT_EQ(d.record_name, "HS-000001.1");
  EXPECT_EQ(d.package, stdfs::absolute(out / "packages" / "HS-000001.zip").lexically_normal().string());
  EXPECT_EQ(d.package_sha256, sha256_file(out / "packages" / "HS-000001.zip"));
  EXPECT_EQ(d.record_sha256, sha256_file(out / "records" / "r1-p001-001" / "record.json"));
  EXPECT_EQ(d.validity, "valid");
  EXPECT_EQ(d.valid_until, "2043-05-14");
}

TEST_P(ArchiveTest, LookupByNameWithoutDiacriticsAndLogged) {
  auto a = open();
  a->add(make_out("b", "HS-000002",
                  {{"k1-p001-001", "giay_khai_sinh", "reusable",
                    {{"ho_ten", "Nguyễn Văn An"}, {"ngay_sinh", "2003-05-14"}, {"ngay_ban_hanh", "2003-06-01"},
                     {"co_quan_ban_hanh", "Ủy ban nhân dân phường Bến Nghé"}, {"so_ky_hieu", "123/2003"}}},
                   {"k2-p002-002", "giay_khai_sinh", "reusable",
                    {{"ho_ten", "Nguyễn Văn Ân"}, {"ngay_sinh", "1990-01-02"}, {"ngay_ban_hanh", "1990-02-01"},
                     {"co_quan_ban_hanh", "Ủy ban nhân dân phường Bến Nghé"}, {"so_ky_hieu", "7/1990"}}}}),
         "");
  PersonQuery q;
  q.name = "nguyen van an";
  q.born = "2003-05-14";
  q.who = "clerk7";
  auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].ho_ten, "Nguyễn Văn An");
  EXPECT_EQ(docs[0].so_ky_hieu, "123/2003");
  // Without the date of birth both namesakes (An and Ân fold alike) come back.
  q.born.clear();
  EXPECT_EQ(a->lookup(q).size(), 2u);
  // The name typed decomposed (NFD), in capitals, with extra spaces.
  q.name = "  NGUYE\xCC\x82\xCC\x83N  Va\xCC\x86n An ";
  q.born = "2003-05-14";
  EXPECT_EQ(a->lookup(q).size(), 1u);
  q.born = "2003-05-15";
  EXPECT_EQ(a->lookup(q).size(), 0u);
  // Every lookup is in the log: who, what, how many.
  EXPECT_EQ(count(*a, "lookups"), 4);
  EXPECT_EQ(count(*a, "lookups", "who='clerk7' AND query LIKE 'name=nguyen van an born=2003-05-14' AND results=1"), 1);
  EXPECT_EQ(count(*a, "lookups", "results=0"), 1);
}

TEST_P(ArchiveTest, ExpiryFollowsTheCatalogueRules) {
  auto a = open();
  a->add(make_out("c", "HS-000003",
                  {{"e1-p001-001", "can_cuoc", "reusable", card("Trần Thị Bình", "001190000001", "1990-01-01", "2015-01-01", "2025-01-01")},
                   {"e2-p002-002", "giay_xac_nhan_tinh_trang_hon_nhan", "reusable",
                    {{"ho_ten", "Trần Thị Bình"}, {"so_dinh_danh", "001190000001"}, {"ngay_ban_hanh", "2026-01-31"},
                     {"co_quan_ban_hanh", "Ủy ban nhân dân xã An Phú"}, {"so_ky_hieu", "45/2026"}}},
                   {"e3-p003-003", "giay_khai_sinh", "reusable",
                    {{"ho_ten", "Trần Thị Bình"}, {"so_dinh_danh", "001190000001"}, {"ngay_ban_hanh", "1990-02-01"},
                     {"co_quan_ban_hanh", "Ủy ban nhân dân xã An Phú"}, {"so_ky_hieu", "9/1990"}}}}),
         "");
  PersonQuery q;
  q.id = "001190000001";
  q.today = "2026-07-31";
  auto by_type = [&](const std::vector<Document>& docs, const std::string& t) {
    for (const auto& d : docs)
      if (d.doc_type == t) return d;
    ADD_FAILURE() << "no " << t;
    return Document{};
  };
  auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(by_type(docs, "can_cuoc").validity, "expired");
  EXPECT_EQ(by_type(docs, "can_cuoc").valid_until, "2025-01-01");
  // Six months from 31 January: the last day of July (no 31 July problem: July has one).
  EXPECT_EQ(by_type(docs, "giay_xac_nhan_tinh_trang_hon_nhan").valid_until, "2026-07-31");
  EXPECT_EQ(by_type(docs, "giay_xac_nhan_tinh_trang_hon_nhan").validity, "valid");
  EXPECT_EQ(by_type(docs, "giay_khai_sinh").validity, "valid");
  EXPECT_EQ(by_type(docs, "giay_khai_sinh").valid_until, "");
  q.today = "2026-08-01";
  docs = a->lookup(q);
  EXPECT_EQ(by_type(docs, "giay_xac_nhan_tinh_trang_hon_nhan").validity, "expired");
  EXPECT_NE(by_type(docs, "giay_xac_nhan_tinh_trang_hon_nhan").rule.find("6 months"), std::string::npos);
}

TEST_P(ArchiveTest, CardWithoutExpiryDateIsUnknownNotValid) {
  auto a = open();
  a->add(make_out("c2", "HS-000031", {{"u1-p001-001", "can_cuoc", "reusable", card("Lê Văn Cường", "001190000002", "1990-01-01", "2015-01-01", "")}}), "");
  PersonQuery q;
  q.id = "001190000002";
  auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].validity, "unknown");
}

TEST_P(ArchiveTest, SameNumberAndIssuerIsADuplicateNotASecondRecord) {
  auto a = open();
  json m = {{"ho_ten", "Phạm Minh Đức"}, {"ngay_sinh", "2000-03-03"}, {"ngay_ban_hanh", "2000-04-01"},
            {"co_quan_ban_hanh", "Ủy ban nhân dân phường 1"}, {"so_ky_hieu", "55/2000"}};
  a->add(make_out("d1", "HS-000010", {{"d1-p001-001", "giay_khai_sinh", "reusable", m}}), "");
  // Read again in another batch: the issuer without diacritics and in capitals, the number spaced.
  json m2 = m;
  m2["co_quan_ban_hanh"] = "UY BAN NHAN DAN PHUONG 1";
  m2["so_ky_hieu"] = "55 / 2000";
  const auto s = a->add(make_out("d2", "HS-000020", {{"d9-p001-001", "giay_khai_sinh", "reusable", m2}}), "");
  EXPECT_EQ(s.records_added, 1);
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(count(*a, "records", "duplicate_of IS NULL"), 1);
  EXPECT_EQ(count(*a, "records", "duplicate_reason='number'"), 1);
  // Another issuer's 55/2000 is another document.
  json m3 = m;
  m3["co_quan_ban_hanh"] = "Ủy ban nhân dân phường 2";
  EXPECT_EQ(a->add(make_out("d3", "HS-000030", {{"d5-p001-001", "giay_khai_sinh", "reusable", m3}}), "").duplicates, 0);
  EXPECT_EQ(count(*a, "records", "duplicate_of IS NULL"), 2);
}

TEST_P(ArchiveTest, AnotherScanOfTheSameCardIsADuplicate) {
  auto a = open();
  a->add(make_out("sc1", "HS-000043", {{"sc1-p001-001", "can_cuoc", "reusable", card("Đinh Văn Quý", "079203000043", "2003-01-01", "2021-06-01", "2040-01-01"), 11}}), "");
  // Photographed again (other pixels), the same card: holder and date of issue.
  const auto s = a->add(make_out("sc2", "HS-000044", {{"sc2-p001-001", "can_cuoc", "reusable", card("Dinh Van Quy", "079203000043", "2003-01-01", "2021-06-01", "2040-01-01"), 12}}), "");
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.superseded, 0);
  EXPECT_EQ(count(*a, "records", "duplicate_reason='same_document'"), 1);
}

TEST_P(ArchiveTest, SamePageImagesAreADuplicate) {
  auto a = open();
  a->add(make_out("i1", "HS-000040", {{"i1-p001-001", "van_bang", "reusable", {{"ho_ten", "Võ Thị Em"}}, 3}}), "");
  const auto s = a->add(make_out("i2", "HS-000041", {{"i2-p001-001", "van_bang", "reusable", {{"ho_ten", "Vo Thi Em"}}, 3}}), "");
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(count(*a, "records", "duplicate_reason='images'"), 1);
  const auto other = a->add(make_out("i3", "HS-000042", {{"i3-p001-001", "van_bang", "reusable", {{"ho_ten", "Võ Thị Em"}}, 4}}), "");
  EXPECT_EQ(other.duplicates, 0);
  EXPECT_EQ(count(*a, "records", "duplicate_of IS NULL"), 2);
}

TEST_P(ArchiveTest, ReissuedCardSupersedesTheOldOneInEitherOrder) {
  auto a = open();
  // The newer card is added first, the older one later: the older is still the superseded one.
  a->add(make_out("s1", "HS-000050", {{"n1-p001-001", "can_cuoc", "reusable", card("Đỗ Văn Giang", "079203009999", "2003-01-01", "2021-06-01", "2028-01-01")}}), "");
  const auto s = a->add(make_out("s2", "HS-000051", {{"o1-p001-001", "can_cuoc", "reusable", card("Đỗ Văn Giang", "079203009999", "2003-01-01", "2016-06-01", "2028-01-01")}}), "");
  EXPECT_EQ(s.superseded, 1);
  // A third, newest card supersedes the one that was current.
  a->add(make_out("s3", "HS-000052", {{"z1-p001-001", "can_cuoc", "reusable", card("Đỗ Văn Giang", "079203009999", "2003-01-01", "2024-06-01", "2040-01-01")}}), "");
  PersonQuery q;
  q.id = "079203009999";
  q.today = "2026-01-01";
  const auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 3u);  // the old ones are kept
  std::map<std::string, Document> by_date;
  for (const auto& d : docs) by_date[d.ngay_ban_hanh] = d;
  EXPECT_EQ(by_date["2024-06-01"].validity, "valid");
  EXPECT_EQ(by_date["2021-06-01"].validity, "superseded");
  EXPECT_EQ(by_date["2021-06-01"].superseded_by, by_date["2024-06-01"].uid);
  EXPECT_EQ(by_date["2016-06-01"].validity, "superseded");
  EXPECT_EQ(by_date["2016-06-01"].superseded_by, by_date["2021-06-01"].uid);
  // A birth certificate is not re-issued by the catalogue's rules: two of them stay side by side.
  EXPECT_EQ(count(*a, "supersessions"), 2);
}

TEST_P(ArchiveTest, AddingTheSameOutTwiceChangesNothing) {
  const auto out = make_out("t", "HS-000060",
                            {{"t1-p001-001", "can_cuoc", "reusable", card("Hồ Văn Hải", "079203000060", "2003-01-01", "2021-06-01", "2040-01-01"), 5},
                             {"t2-p002-002", "quyet_dinh", "reusable",
                              {{"so_ky_hieu", "12/QĐ-UBND"}, {"co_quan_ban_hanh", "Ủy ban nhân dân quận 1"}, {"ngay_ban_hanh", "2024-01-01"}}}});
  auto a = open();
  const auto first = a->add(out, "");
  EXPECT_EQ(first.records_added, 2);
  const int records = count(*a, "records"), packages = count(*a, "packages");
  const auto again = a->add(out, "");
  EXPECT_EQ(again.records_added, 0);
  EXPECT_EQ(again.already, 2);
  EXPECT_EQ(again.packages_known, 1);
  EXPECT_EQ(count(*a, "records"), records);
  EXPECT_EQ(count(*a, "packages"), packages);
  EXPECT_EQ(count(*a, "supersessions"), 0);
}

TEST_P(ArchiveTest, TwoConcurrentAddsLoseAndDuplicateNothing) {
  {
    auto a = open();  // the schema first, as `sohoa archive init` does
  }
  // Two workstations: each adds its own batches; some documents are in both (same number).
  std::vector<stdfs::path> outs_a, outs_b;
  for (int i = 0; i < 12; ++i) {
    std::vector<Rec> ra, rb;
    for (int k = 0; k < 5; ++k) {
      json shared = {{"so_ky_hieu", std::to_string(i * 10 + k) + "/QĐ-UBND"}, {"co_quan_ban_hanh", "Ủy ban nhân dân quận 3"},
                     {"ngay_ban_hanh", "2024-02-02"}, {"trich_yeu", "Về việc cấp phép"}};
      json own = shared;
      own["so_ky_hieu"] = std::to_string(i * 10 + k) + "/QĐ-A";
      ra.push_back({"a" + std::to_string(i * 10 + k) + "-p001-001", "quyet_dinh", "reusable", shared});
      ra.push_back({"b" + std::to_string(i * 10 + k) + "-p002-002", "quyet_dinh", "reusable", own});
      json own_b = shared;
      own_b["so_ky_hieu"] = std::to_string(i * 10 + k) + "/QĐ-B";
      rb.push_back({"c" + std::to_string(i * 10 + k) + "-p001-001", "quyet_dinh", "reusable", shared});
      rb.push_back({"d" + std::to_string(i * 10 + k) + "-p002-002", "quyet_dinh", "reusable", own_b});
    }
    outs_a.push_back(make_out("ca" + std::to_string(i), "HS-1" + std::to_string(i), ra));
    outs_b.push_back(make_out("cb" + std::to_string(i), "HS-2" + std::to_string(i), rb));
  }
  std::atomic<int> failures{0};
  // Both start each add at the same moment, the one sharing documents with the other's.
  std::barrier sync(2);
  auto worker = [&](const std::vector<stdfs::path>& outs) {
    auto a = open();
    for (int round = 0; round < 2; ++round)  // and each again: nothing changes
      for (const auto& o : outs) {
        sync.arrive_and_wait();
        try {
          a->add(o, "");
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
  };
  std::thread t1(worker, outs_a), t2(worker, outs_b);
  t1.join();
  t2.join();
  EXPECT_EQ(failures, 0);
  auto a = open();
  EXPECT_EQ(count(*a, "packages"), 24);
  EXPECT_EQ(count(*a, "records"), 240);                          // nothing lost
  EXPECT_EQ(count(*a, "records", "duplicate_of IS NULL"), 180);  // the 60 shared ones archived once
  EXPECT_EQ(count(*a, "records", "duplicate_reason='number'"), 60);
}

TEST_P(ArchiveTest, SearchAcrossTheArchiveWithTheSearchSyntax) {
  auto a = open();
  a->add(make_out("f1", "HS-000070",
                  {{"f1-p001-001", "quyet_dinh", "reusable",
                    {{"so_ky_hieu", "88/QĐ-UBND"}, {"co_quan_ban_hanh", "Ủy ban nhân dân quận Bình Thạnh"},
                     {"ngay_ban_hanh", "2024-01-01"}, {"trich_yeu", "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ"}},
                    -1, "QUYẾT ĐỊNH\nVề việc cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ ông Lý Văn Khoa"}}),
         "");
  a->add(make_out("f2", "HS-000071",
                  {{"f2-p001-001", "giay_khai_sinh", "reusable",
                    {{"ho_ten", "Lý Văn Khoa"}, {"ngay_sinh", "1980-01-01"}, {"co_quan_ban_hanh", "Ủy ban nhân dân xã Tân Phú"}}}}),
         "");
  sohoa::archive::SearchQuery q;
  q.text = "ly van khoa";
  EXPECT_EQ(a->search(q).size(), 2u);
  q.text = "Lý Văn Khoa xây dựng";
  auto hits = a->search(q);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].doc_type, "quyet_dinh");
  EXPECT_NE(hits[0].snippet.find("[khoa]"), std::string::npos) << hits[0].snippet;
  q.text = "khoa";
  q.doc_type = "giay_khai_sinh";
  ASSERT_EQ(a->search(q).size(), 1u);
  q.doc_type.reset();
  q.text = "88 qd ubnd";  // the number, as "12/QĐ-UBND" is split by `sohoa search`
  EXPECT_EQ(a->search(q).size(), 1u);
  q.text = "khoa tuyet";
  EXPECT_EQ(a->search(q).size(), 0u);
  EXPECT_EQ(count(*a, "lookups", "kind='search'"), 5);
}

TEST_P(ArchiveTest, ABrokenOutWritesNothing) {
  auto a = open();
  const auto out = make_out("h", "HS-000080",
                            {{"h1-p001-001", "can_cuoc", "reusable", card("Mai Văn Lâm", "079203000080", "2003-01-01", "2021-06-01", "2040-01-01")},
                             {"h2-p002-002", "can_cuoc", "reusable", card("Mai Văn Lâm", "079203000081", "2003-01-01", "2021-06-01", "2040-01-01")}});
  write(out / "records" / "h2-p002-002" / "record.json", "{\"class\": \"reusable\", \"doc_ty");  // cut off
  EXPECT_THROW(a->add(out, ""), sohoa::Error);
  EXPECT_EQ(count(*a, "packages"), 0);
  EXPECT_EQ(count(*a, "records"), 0);
}

TEST_P(ArchiveTest, ReopeningDoesNotMigrateAgain) {
  open();
  auto a = open();
  EXPECT_EQ(a->schema_version(), 2);
  EXPECT_EQ(count(*a, "archive_schema"), 2);
}

json marriage(const std::string& number) {
  return {{"ho_ten", "Lê Văn Hùng"}, {"ngay_ban_hanh", "2020-10-10"}, {"co_quan_ban_hanh", "Ủy ban nhân dân phường Bến Thành"},
          {"so_ky_hieu", number}, {"ho_ten_chong", "Lê Văn Hùng"}, {"so_dinh_danh_chong", "079090001111"},
          {"ngay_sinh_chong", "1990-03-03"}, {"ho_ten_vo", "Trần Thị Thảo"}, {"so_dinh_danh_vo", "079192002222"},
          {"ngay_sinh_vo", "1992-04-04"}};
}

TEST_P(ArchiveTest, AMarriageCertificateIsFoundByEitherSpouse) {
  auto a = open();
  a->add(make_out("m", "HS-000100", {{"m1-p001-001", "giay_chung_nhan_ket_hon", "reusable", marriage("55/2020")}}), "");
  // ho_ten (the name the extractor reads) is the husband's: one person, not two.
  EXPECT_EQ(count(*a, "persons"), 2);
  PersonQuery q;
  q.id = "079192002222";  // the wife's number
  auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].doc_type, "giay_chung_nhan_ket_hon");
  EXPECT_EQ(docs[0].role, "wife");
  EXPECT_EQ(docs[0].role_name, "Vợ");
  EXPECT_EQ(docs[0].person_ho_ten, "Trần Thị Thảo");
  EXPECT_EQ(docs[0].ho_ten, "Lê Văn Hùng");  // the record's own holder field is unchanged
  q.id.clear();
  q.name = "tran thi thao";
  q.born = "1992-04-04";
  ASSERT_EQ(a->lookup(q).size(), 1u);
  q.name = "Le Van Hung";
  q.born = "1990-03-03";
  docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].role, "husband");
  q.id = "079090001111";
  q.name.clear();
  q.born.clear();
  EXPECT_EQ(a->lookup(q).size(), 1u);
  // Nobody else is on it.
  q.id = "079192002223";
  EXPECT_EQ(a->lookup(q).size(), 0u);
}

TEST_P(ArchiveTest, ABirthCertificateIsFoundByTheChildAndByEachParent) {
  auto a = open();
  a->add(make_out("k", "HS-000101",
                  {{"k1-p001-001", "giay_khai_sinh", "reusable",
                    {{"ho_ten", "Lê Minh An"}, {"ngay_sinh", "2015-07-07"}, {"ngay_ban_hanh", "2015-07-20"},
                     {"co_quan_ban_hanh", "Ủy ban nhân dân phường Bến Thành"}, {"so_ky_hieu", "301/2015"},
                     {"ho_ten_cha", "Lê Văn Hùng"}, {"so_dinh_danh_cha", "079090001111"}, {"ngay_sinh_cha", "1990-03-03"},
                     {"ho_ten_me", "Trần Thị Thảo"}, {"ngay_sinh_me", "1992-04-04"}}},
                   // A certificate whose parents were not read indexes the child alone.
                   {"k2-p002-002", "giay_khai_sinh", "reusable",
                    {{"ho_ten", "Lê Minh Châu"}, {"ngay_sinh", "2018-01-01"}, {"ngay_ban_hanh", "2018-01-20"},
                     {"co_quan_ban_hanh", "Ủy ban nhân dân phường Bến Thành"}, {"so_ky_hieu", "5/2018"}}}}),
         "");
  EXPECT_EQ(count(*a, "persons"), 4);
  EXPECT_EQ(count(*a, "persons", "field='ho_ten_me' AND name_key='tran thi thao' AND so_dinh_danh IS NULL"), 1);
  PersonQuery q;
  q.name = "LE MINH AN";
  auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].role, "child");
  q.id = "079090001111";
  q.name.clear();
  docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].role, "father");
  EXPECT_EQ(docs[0].role_name, "Cha");
  EXPECT_EQ(docs[0].so_ky_hieu, "301/2015");
  q.id.clear();
  q.name = "Trần Thị Thảo";
  q.born = "1992-04-04";
  docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].role, "mother");
}

TEST_P(ArchiveTest, ANameAloneShowsTheFirstNamesakesByDateOfBirthAndSaysThereAreMore) {
  auto a = open();
  std::vector<Rec> recs;
  const char* births[] = {"1991-05-05", "1980-01-01", "2001-02-02", "1975-12-12", "1999-09-09", "1985-06-06", "2010-10-10"};
  for (int i = 0; i < 7; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "0792030005%02d", i);
    recs.push_back({"n" + std::to_string(i) + "-p00" + std::to_string(i + 1) + "-00" + std::to_string(i + 1), "can_cuoc", "reusable",
                    card("Phạm Thị Lan", id, births[i], "2021-06-0" + std::to_string(i + 1), "2040-01-01")});
  }
  a->add(make_out("n", "HS-000102", recs), "");
  PersonQuery q;
  q.name = "pham thi lan";
  q.limit = 3;
  bool more = false;
  auto docs = a->lookup(q, &more);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_TRUE(more);
  EXPECT_EQ(docs[0].ngay_sinh, "1975-12-12");
  EXPECT_EQ(docs[1].ngay_sinh, "1980-01-01");
  EXPECT_EQ(docs[2].ngay_sinh, "1985-06-06");
  q.limit = 7;
  EXPECT_EQ(a->lookup(q, &more).size(), 7u);
  EXPECT_FALSE(more);
  q.limit = 0;  // all
  docs = a->lookup(q, &more);
  ASSERT_EQ(docs.size(), 7u);
  EXPECT_FALSE(more);
  EXPECT_EQ(docs.back().ngay_sinh, "2010-10-10");
  // The log counts what was shown.
  EXPECT_EQ(count(*a, "lookups", "results=3"), 1);
}

TEST_P(ArchiveTest, MigratingAnArchiveOfSchemaOneIndexesItsHolders) {
  {
    auto a = open();
    a->add(make_out("old", "HS-000103",
                    {{"o1-p001-001", "can_cuoc", "reusable", card("Đỗ Văn Nam", "079203000103", "2003-01-01", "2021-06-01", "2040-01-01")},
                     {"o2-p002-002", "giay_chung_nhan_ket_hon", "reusable",
                      {{"ho_ten", "Đỗ Văn Nam"}, {"ngay_ban_hanh", "2024-10-10"}, {"co_quan_ban_hanh", "Ủy ban nhân dân phường Bến Thành"},
                       {"so_ky_hieu", "9/2024"}}}}),
           "");
    // Back to schema 1, as an archive made before the person index was.
    a->store().exec_script("DROP TABLE persons; DELETE FROM archive_schema WHERE version=2");
    EXPECT_EQ(a->schema_version(), 1);
  }
  auto a = open();
  EXPECT_EQ(a->schema_version(), 2);
  EXPECT_EQ(count(*a, "persons"), 2);
  PersonQuery q;
  q.name = "do van nam";
  auto docs = a->lookup(q);
  ASSERT_EQ(docs.size(), 2u);
  PersonQuery byid;
  byid.id = "079203000103";
  EXPECT_EQ(a->lookup(byid).size(), 1u);
  for (const auto& d : docs) EXPECT_EQ(d.person_field, "ho_ten");
  // Added after the migration, a marriage certificate indexes both spouses.
  a->add(make_out("new", "HS-000104", {{"m1-p001-001", "giay_chung_nhan_ket_hon", "reusable", marriage("56/2020")}}), "");
  byid.id = "079192002222";
  EXPECT_EQ(a->lookup(byid).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ArchiveTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// --- What only one back end has ---

TEST(ArchiveUrl, MalformedOrUnreachableIsAClearErrorAndWritesNothing) {
  auto fails_with = [](const std::string& url, const std::string& words) {
    try {
      Archive::open(url);
      ADD_FAILURE() << url << " opened";
    } catch (const sohoa::Error& e) {
      EXPECT_EQ(e.code(), sohoa::ErrorCode::unreadable) << url;
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << url << ": " << e.what();
    }
  };
  fails_with("ftp://archive.example/x", "unknown scheme");
  fails_with("postgresql://user@/db?host=/nonexistent-sohoa-dir&port=1", "cannot reach archive");
  fails_with("postgresql://u@h/db?nosuchoption=1", "malformed archive URL");
  fails_with("postgresql://bob:secret@/db?host=/nonexistent-sohoa-dir", "bob:***@");
  const stdfs::path missing = g_root / "no-such-folder" / "archive.sqlite";
  fails_with(missing.string(), "does not exist");
  EXPECT_FALSE(stdfs::exists(missing.parent_path()));
  // A file that is not a database is not made one.
  const stdfs::path text = g_root / "notes.txt";
  write(text, "these are notes, not an archive\n");
  fails_with(text.string(), "not an SQLite archive");
  std::ifstream f(text);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), "these are notes, not an archive\n");
}

TEST(ArchivePostgres, TheClerkRoleMayReadAndInsertButNeverUpdateOrDrop) {
  if (g_pg_url.empty()) {
    if (in_ci()) FAIL() << "CI=true and no PostgreSQL: " << g_pg_problem;
    GTEST_SKIP() << g_pg_problem;
  }
  const std::string db = "roles" + std::to_string(::getpid());
  auto admin = sohoa::archive::open_postgresql(g_pg_url);
  admin->exec_script("CREATE DATABASE " + db);
  admin->exec_script("DROP ROLE IF EXISTS clerk; CREATE ROLE clerk LOGIN");
  const auto q = g_pg_url.find('?');
  const auto slash = g_pg_url.rfind('/', q);
  const std::string owner_url = g_pg_url.substr(0, slash + 1) + db + g_pg_url.substr(q);
  Archive::open(owner_url)->grant("clerk");
  std::string clerk_url = owner_url;
  clerk_url.replace(clerk_url.find("sohoa_admin@"), 12, "clerk@");
  auto clerk = Archive::open(clerk_url);
  const auto s = clerk->add(make_out("role", "HS-000090",
                                     {{"g1-p001-001", "can_cuoc", "reusable", card("Tạ Văn Minh", "079203000090", "2003-01-01", "2016-06-01", "2040-01-01")},
                                      {"g2-p002-002", "can_cuoc", "reusable", card("Tạ Văn Minh", "079203000090", "2003-01-01", "2021-06-01", "2040-01-01")}}),
                            "");
  EXPECT_EQ(s.records_added, 2);
  EXPECT_EQ(s.superseded, 1);  // supersession is an insert too
  PersonQuery pq;
  pq.id = "079203000090";
  EXPECT_EQ(clerk->lookup(pq).size(), 2u);
  auto& st = clerk->store();
  EXPECT_EQ(st.db_user(), "clerk");
  for (const char* sql : {"UPDATE packages SET location='x'", "DELETE FROM packages", "DELETE FROM records", "UPDATE records SET duplicate_of=NULL",
                          "DROP TABLE packages", "TRUNCATE lookups", "DELETE FROM lookups", "CREATE TABLE mine(x int)"}) {
    try {
      st.exec_script(sql);
      ADD_FAILURE() << "the clerk role could: " << sql;
    } catch (const sohoa::Error& e) {
      EXPECT_NE(std::string(e.what()).find("not allowed"), std::string::npos) << sql << ": " << e.what();
    }
  }
  EXPECT_EQ(count(*clerk, "packages"), 1);
  EXPECT_EQ(count(*clerk, "lookups", "db_user='clerk'"), 1);
  // An archive granted before the person index: migrating it gives the clerk the new table too.
  {
    auto owner = Archive::open(owner_url);
    owner->store().exec_script("DROP TABLE persons; DELETE FROM archive_schema WHERE version=2");
  }
  clerk.reset();
  Archive::open(owner_url);  // the owner migrates
  clerk = Archive::open(clerk_url);
  EXPECT_EQ(clerk->lookup(pq).size(), 2u);
  try {
    clerk->store().exec_script("DELETE FROM persons");
    ADD_FAILURE() << "the clerk role could delete from persons";
  } catch (const sohoa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("not allowed"), std::string::npos) << e.what();
  }
}

TEST(ArchiveCatalogue, TheArchiveReadsTypesThroughTheDoctypesModule) {
  const auto& cat = sohoa::doctypes::catalogue();
  const auto& card = cat.get("can_cuoc");
  EXPECT_EQ(card.valid_until_field, "ngay_het_han");
  EXPECT_TRUE(card.reissue_supersedes_older);
  EXPECT_EQ(card.same_document_when, (std::vector<std::string>{"so_dinh_danh", "ngay_ban_hanh"}));
  const auto& confirmation = cat.get("giay_xac_nhan_tinh_trang_hon_nhan");
  EXPECT_EQ(confirmation.valid_months, 6);
  EXPECT_EQ(confirmation.valid_from_field, "ngay_ban_hanh");
  std::vector<std::string> roles;
  for (const auto& p : cat.get("giay_chung_nhan_ket_hon").persons) roles.push_back(p.role);
  EXPECT_EQ(roles, (std::vector<std::string>{"husband", "wife", "spouse"}));
  roles.clear();
  for (const auto& p : cat.get("giay_khai_sinh").persons) roles.push_back(p.role + ":" + p.name);
  EXPECT_EQ(roles, (std::vector<std::string>{"child:ho_ten", "father:ho_ten_cha", "mother:ho_ten_me"}));
  // A type without a "persons" list names its holder under ho_ten; one about nobody, nobody.
  ASSERT_EQ(cat.get("van_bang").persons.size(), 1u);
  EXPECT_EQ(cat.get("van_bang").persons[0].name, "ho_ten");
  EXPECT_TRUE(cat.get("van_ban_hanh_chinh").persons.empty());
}

}  // namespace
