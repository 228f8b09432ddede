// Hostile and broken inputs at the ingest boundary: each is refused with a code and a reason a
// clerk can act on, in bounded time and memory, and nothing of it reaches the disk.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "batch/batch.h"
#include "core/error.h"
#include "ingest/ingest.h"
#include "test_helpers.h"

using namespace sohoa;
using namespace sohoa::ingest;

namespace {

Bytes bytes_of(const std::string& s) { return std::make_shared<const std::vector<uint8_t>>(s.begin(), s.end()); }
std::vector<uint8_t> vec(const std::string& s) { return {s.begin(), s.end()}; }

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

std::string encode(const Image& img, int format) {
  l_uint8* data = nullptr;
  size_t size = 0;
  pixWriteMem(&data, &size, img.get(), format);
  std::string out(reinterpret_cast<char*>(data), size);
  lept_free(data);
  return out;
}

Image small_page(int w = 300, int h = 400) { return fixtures::text_like_page(w, h, 3); }

struct Member {
  std::string name;
  std::string content;
  mode_t type = AE_IFREG;
  std::string link;  // symlink or hardlink target
};

/// An archive written by libarchive in memory: `format` is ARCHIVE_FORMAT_ZIP, _TAR_PAX_RESTRICTED...
std::string archive_with(int format, const std::vector<Member>& members, bool gzip = false) {
  std::string out(64 << 20, '\0');
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format(a, format);
  if (gzip) archive_write_add_filter_gzip(a);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, 0644);
    if (m.type == AE_IFLNK) archive_entry_set_symlink(e, m.link.c_str());
    if (m.type == AE_IFREG && !m.link.empty()) archive_entry_set_hardlink(e, m.link.c_str());
    if (m.type == AE_IFCHR || m.type == AE_IFBLK) archive_entry_set_rdev(e, makedev(1, 3));
    archive_entry_set_size(e, m.type == AE_IFREG && m.link.empty() ? m.content.size() : 0);
    archive_write_header(a, e);
    if (m.type == AE_IFREG && m.link.empty()) archive_write_data(a, m.content.data(), m.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

const InputError* error_for(const std::vector<InputError>& errors, const std::string& member) {
  for (const auto& e : errors)
    if (e.member && *e.member == member) return &e;
  return nullptr;
}

/// A little-endian TIFF of 8-bit grey pages, uncompressed, one strip each. A page can claim a
/// size it does not have, or point its strip past the end of the file.
struct TiffPage {
  uint32_t width, height;
  uint8_t shade = 200;
  bool strip_past_end = false;
  bool text_like = false;  // rows of dark "words" instead of a flat shade
};

std::string tiff_with(const std::vector<TiffPage>& pages) {
  std::string t = "II*";
  t += '\0';
  auto put16 = [&](size_t at, uint16_t v) { t[at] = v & 0xFF; t[at + 1] = v >> 8; };
  auto put32 = [&](size_t at, uint32_t v) { for (int i = 0; i < 4; ++i) t[at + i] = (v >> (8 * i)) & 0xFF; };
  t.resize(8);
  size_t link = 4;  // where the offset of the next IFD goes
  for (const TiffPage& p : pages) {
    // The strip: the real pixels, or a few bytes for a page that only claims a size.
    const uint64_t real = static_cast<uint64_t>(p.width) * p.height;
    const uint32_t strip_bytes = real <= (4u << 20) ? static_cast<uint32_t>(real) : 16;
    const uint32_t strip_at = t.size();
    t.append(strip_bytes, static_cast<char>(p.shade));
    if (p.text_like)
      for (uint32_t i = 0; i < strip_bytes; ++i)
        if ((i / p.width) % 40 < 14 && (i % p.width) % 110 < 80 && (i / p.width) > 40) t[strip_at + i] = 15;
    if (t.size() % 2) t += '\0';
    const uint32_t ifd_at = t.size();
    put32(link, ifd_at);
    const std::vector<std::array<uint32_t, 3>> tags = {  // tag, type (3 short, 4 long), value
        {256, 4, p.width}, {257, 4, p.height}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
        {273, 4, p.strip_past_end ? 0x7FFFFF00u : strip_at}, {277, 3, 1}, {278, 4, p.height},
        {279, 4, p.strip_past_end ? real > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(real) : strip_bytes}};
    t.resize(ifd_at + 2 + 12 * tags.size() + 4);
    put16(ifd_at, tags.size());
    for (size_t i = 0; i < tags.size(); ++i) {
      const size_t at = ifd_at + 2 + 12 * i;
      put16(at, tags[i][0]);
      put16(at + 2, tags[i][1]);
      put32(at + 4, 1);
      if (tags[i][1] == 3) put16(at + 8, tags[i][2]); else put32(at + 8, tags[i][2]);
    }
    link = ifd_at + 2 + 12 * tags.size();
    put32(link, 0);
  }
  return t;
}

/// A PDF from object bodies (numbered from 1, object 1 the catalog), with a correct xref table.
std::string pdf_with(const std::vector<std::string>& objects) {
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  char line[32];
  for (size_t off : offsets) {
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string stream_obj(const std::string& dict, const std::string& data) {
  return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

/// One page that is one scanned JPEG, as scanners write them.
std::string scanned_pdf(const Image& page) {
  const std::string jpeg = encode(page, IFF_JFIF_JPEG);
  const std::string w = std::to_string(page.width()), h = std::to_string(page.height());
  return pdf_with({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + w + " " + h +
                       "] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
                   stream_obj("/Type /XObject /Subtype /Image /Width " + w + " /Height " + h +
                                  " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
                              jpeg),
                   stream_obj("", "q " + w + " 0 0 " + h + " 0 0 cm /Im0 Do Q")});
}

template <typename F>
double seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

template <typename F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no sohoa::Error was thrown";
  return Error(ErrorCode::internal, "");
}


}  // namespace

// --- archives -------------------------------------------------------------------------------

class HostileArchive : public ::testing::TestWithParam<int> {};

TEST_P(HostileArchive, MemberPathsOutsideTheArchiveAreRefusedByName) {
  const std::string png = encode(small_page(), IFF_PNG);
  const std::string bytes = archive_with(GetParam(), {{"HS-1/ok.png", png},
                                                      {"../evil.png", png},
                                                      {"/etc/cron.d/abs.png", png},
                                                      {"HS-1/../../up.png", png},
                                                      {"C:/windows.png", png}});
  std::vector<InputError> errors;
  auto members = read_archive(vec(bytes), {}, errors, "HS-1/scans.zip");
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "HS-1/ok.png");
  for (const char* bad : {"../evil.png", "/etc/cron.d/abs.png", "HS-1/../../up.png", "C:/windows.png"}) {
    const InputError* e = error_for(errors, bad);
    ASSERT_NE(e, nullptr) << bad << " was not reported";
    EXPECT_EQ(e->path, "HS-1/scans.zip");
    EXPECT_NE(e->reason.find("outside the archive"), std::string::npos) << e->reason;
  }
}

INSTANTIATE_TEST_SUITE_P(ZipAndTar, HostileArchive,
                         ::testing::Values(ARCHIVE_FORMAT_ZIP, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                                           ARCHIVE_FORMAT_TAR_GNUTAR),
                         [](const auto& info) {
                           return info.param == ARCHIVE_FORMAT_ZIP ? "zip"
                                  : info.param == ARCHIVE_FORMAT_TAR_GNUTAR ? "gnutar" : "pax";
                         });

TEST(HostileArchiveTar, LinksAndDevicesAreRefusedNotFollowed) {
  const std::string png = encode(small_page(), IFF_PNG);
  const std::string tar = archive_with(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                                       {{"ok.png", png},
                                        {"passwd.png", "", AE_IFLNK, "/etc/passwd"},
                                        {"up.png", "", AE_IFLNK, "../../ok.png"},
                                        {"hard.png", "", AE_IFREG, "ok.png"},
                                        {"zero.png", "", AE_IFCHR},
                                        {"disk.png", "", AE_IFBLK},
                                        {"fifo.png", "", AE_IFIFO}});
  std::vector<InputError> errors;
  auto members = read_archive(vec(tar), {}, errors, "links.tar");
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "ok.png");
  for (const char* link : {"passwd.png", "up.png", "hard.png"}) {
    const InputError* e = error_for(errors, link);
    ASSERT_NE(e, nullptr) << link << " was not reported";
    EXPECT_NE(e->reason.find("link"), std::string::npos) << e->reason;
  }
  for (const char* dev : {"zero.png", "disk.png", "fifo.png"}) {
    const InputError* e = error_for(errors, dev);
    ASSERT_NE(e, nullptr) << dev << " was not reported";
    EXPECT_NE(e->reason.find("not a regular file"), std::string::npos) << e->reason;
  }
}

TEST(HostileArchiveBomb, ExpandedSizeLimitStopsTheArchive) {
  const std::string zip = archive_with(ARCHIVE_FORMAT_ZIP, {{"a.tif", std::string(3 << 20, 'A')}});
  Limits limits;
  limits.max_archive_expanded = 1 << 20;
  limits.max_archive_ratio = 1e9;  // only the size limit can stop it
  std::vector<InputError> errors;
  Error e = error_of([&] { read_archive(vec(zip), limits, errors, "big.zip"); });
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_NE(std::string(e.what()).find("expands to more than its limit"), std::string::npos) << e.what();
}

TEST(HostileArchiveBomb, RatioLimitStopsASmallFileThatExpandsHugely) {
  // 40 MiB of zeros gzip'd into a tar: about 40 KiB on disk, 1000:1.
  const std::string tgz = archive_with(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, {{"a.tif", std::string(40 << 20, '\0')}}, true);
  ASSERT_LT(tgz.size(), 200u << 10);
  Limits limits;  // default expanded-size limit (4 GiB) would let it through
  std::vector<InputError> errors;
  Error e = error_of([&] { read_archive(vec(tgz), limits, errors, "bomb.tar.gz"); });
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_NE(std::string(e.what()).find("zip bomb"), std::string::npos) << e.what();
}

TEST(HostileArchiveBomb, MemberCountLimit) {
  std::vector<Member> many;
  for (int i = 0; i < 50; ++i) many.push_back({"m" + std::to_string(i) + ".png", "x"});
  const std::string zip = archive_with(ARCHIVE_FORMAT_ZIP, many);
  Limits limits;
  limits.max_archive_members = 20;
  std::vector<InputError> errors;
  Error e = error_of([&] { read_archive(vec(zip), limits, errors, "many.zip"); });
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_NE(std::string(e.what()).find("more than 20 members"), std::string::npos) << e.what();
}

// --- images ---------------------------------------------------------------------------------

TEST(HostileImage, PngClaiming100000SquarePixelsIsRefusedBeforeDecoding) {
  std::string png = encode(small_page(), IFF_PNG);
  // IHDR: width and height at bytes 16..23, CRC over type+data at 29..32.
  for (int i = 0; i < 2; ++i)
    for (int b = 0; b < 4; ++b) png[16 + 4 * i + b] = static_cast<char>((100000u >> (24 - 8 * b)) & 0xFF);
  const uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
  for (int b = 0; b < 4; ++b) png[29 + b] = static_cast<char>((crc >> (24 - 8 * b)) & 0xFF);
  Error e(ErrorCode::internal, "");
  EXPECT_LT(seconds([&] { e = error_of([&] { open_page_source(bytes_of(png), Format::png, {})->load(0); }); }), 2);
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_NE(std::string(e.what()).find("100000x100000"), std::string::npos) << e.what();
}

TEST(HostileImage, JpegClaiming60000SquarePixelsIsRefusedBeforeDecoding) {
  std::string jpeg = encode(small_page(), IFF_JFIF_JPEG);
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  for (int b : {5, 7}) jpeg[sof + b] = '\xEA', jpeg[sof + b + 1] = '\x60';  // 60000x60000 (libjpeg's maximum is 65500)
  Error e(ErrorCode::internal, "");
  EXPECT_LT(seconds([&] { e = error_of([&] { open_page_source(bytes_of(jpeg), Format::jpeg, {})->load(0); }); }), 2);
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_NE(std::string(e.what()).find("60000x60000"), std::string::npos) << e.what();
}

TEST(HostileImage, TiffPageClaiming100000SquarePixelsIsRefusedOthersKept) {
  const std::string tiff = tiff_with({{200, 300}, {100000, 100000}, {250, 300}});
  auto src = open_page_source(bytes_of(tiff), Format::tiff, {});
  ASSERT_EQ(src->page_count(), 3);
  EXPECT_EQ(src->load(0).image.width(), 200);
  Error e(ErrorCode::internal, "");
  EXPECT_LT(seconds([&] { e = error_of([&] { src->load(1); }); }), 2);
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_NE(std::string(e.what()).find("100000x100000"), std::string::npos) << e.what();
  EXPECT_EQ(src->load(2).image.width(), 250);
}

TEST(HostileImage, CorruptTiffPageAmongGoodOnesFailsAloneAndSaysWhichPage) {
  const std::string tiff = tiff_with({{200, 300, 10}, {220, 300, 20, true}, {240, 300, 30}});
  auto src = open_page_source(bytes_of(tiff), Format::tiff, {});
  ASSERT_EQ(src->page_count(), 3);
  EXPECT_EQ(src->load(0).image.width(), 200);
  Error e = error_of([&] { src->load(1); });
  EXPECT_EQ(e.code(), ErrorCode::damaged);
  EXPECT_NE(std::string(e.what()).find("page 2"), std::string::npos) << e.what();
  EXPECT_EQ(src->load(2).image.width(), 240);
}

TEST(HostileImage, BatchKeepsTheGoodTiffPagesAndReportsTheBadOne) {
  auto dir = fixtures::temp_dir("hostile-tiff");
  std::filesystem::create_directories(dir / "in");
  std::ofstream(dir / "in" / "stack.tif", std::ios::binary)
      << tiff_with({{600, 800, 250, false, true}, {600, 800, 250, true, true}, {600, 800, 250, false, true}});
  batch::Config config;
  config.inputs = {dir / "in"};
  config.out = dir / "out";
  config.jobs = 2;
  config.progress = false;
  auto summary = batch::run(config, [] { return std::make_unique<fixtures::FakeEngine>(); });
  ASSERT_EQ(summary.errors.size(), 1u);
  EXPECT_EQ(summary.errors[0].path, "stack.tif");
  EXPECT_NE(summary.errors[0].reason.find("page 2"), std::string::npos) << summary.errors[0].reason;
  nlohmann::json j = nlohmann::json::parse(std::ifstream(dir / "out" / "batch.json"));
  // The bad page stays in its record with its error (page numbers keep their meaning);
  // the good ones must be there with their content.
  std::vector<int> kept;
  for (const auto& id : j["items"][0]["records"]) {
    auto rec = nlohmann::json::parse(std::ifstream(dir / "out" / "records" / id.get<std::string>() / "record.json"));
    for (const auto& p : rec["pages"]) {
      if (!p["blank"].get<bool>() && p["error"].is_null()) kept.push_back(p["number"].get<int>());
      if (p["number"] == 2) EXPECT_FALSE(p["error"].is_null());
    }
  }
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<int>{1, 3}));
  std::filesystem::remove_all(dir);
}

// --- PDFs -----------------------------------------------------------------------------------

TEST(HostilePdf, TenThousandPagesAreRefusedWithAClearMessage) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
  std::string kids;
  for (int i = 0; i < 10000; ++i) {
    kids += std::to_string(i + 3) + " 0 R ";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count 10000 >>";
  const std::string pdf = pdf_with(objects);
  Error e(ErrorCode::internal, "");
  EXPECT_LT(seconds([&] { e = error_of([&] { open_page_source(bytes_of(pdf), Format::pdf, {}); }); }), 10);
  EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  EXPECT_EQ(std::string(e.what()),
            "the PDF has 10000 pages, more than the limit of 2000; split it or raise --max-pages");
}

TEST(HostilePdf, EncryptedPdfAsksForAnUnprotectedCopy) {
  const std::string pdf = slurp(std::filesystem::path(SOHOA_SAMPLES_DIR) / "bad" / "encrypted.pdf");
  Error e = error_of([&] { open_page_source(bytes_of(pdf), Format::pdf, {}); });
  EXPECT_EQ(e.code(), ErrorCode::encrypted);
  EXPECT_NE(std::string(e.what()).find("password"), std::string::npos) << e.what();
}

TEST(HostilePdf, BrokenXrefIsRepairedAndThePageRead) {
  const std::string good = scanned_pdf(small_page(400, 560));
  std::string shifted = good;  // every xref offset wrong by 7 and startxref past the end
  const size_t xref = shifted.rfind("xref\n0 ");
  for (size_t at = shifted.find(" 00000 n", xref); at != std::string::npos; at = shifted.find(" 00000 n", at + 1)) {
    const long off = std::stol(shifted.substr(at - 10, 10)) + 7;
    char buf[11];
    std::snprintf(buf, sizeof buf, "%010ld", off);
    shifted.replace(at - 10, 10, buf);
  }
  shifted.replace(shifted.rfind("startxref\n") + 10, std::to_string(xref).size(), "99999999");
  {
    auto src = open_page_source(bytes_of(shifted), Format::pdf, {});
    ASSERT_EQ(src->page_count(), 1);
    RawPage p = src->load(0);
    EXPECT_EQ(p.image.width(), 400);
    EXPECT_EQ(p.image.height(), 560);
  }
  // No xref table and no trailer at all: nothing says which object is the catalog. Read or refused
  // with a clear reason, never a crash.
  const std::string no_trailer = good.substr(0, good.rfind("xref\n0 "));
  try {
    auto src = open_page_source(bytes_of(no_trailer), Format::pdf, {});
    for (int i = 0; i < src->page_count(); ++i) src->load(i);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::damaged);
    EXPECT_EQ(std::string(e.what()), "the PDF is damaged and cannot be opened");
  }
}

TEST(HostilePdf, PdfWithoutAnyObjectsIsDamaged) {
  Error e = error_of([&] { open_page_source(bytes_of("%PDF-1.7\n%%EOF\n"), Format::pdf, {}); });
  EXPECT_EQ(e.code(), ErrorCode::damaged);
}

// --- files that move under our feet ---------------------------------------------------------

TEST(HostileFiles, FileChangedOrVanishedAfterDiscoveryIsAnErrorNotACrash) {
  auto dir = fixtures::temp_dir("hostile-vanish");
  const std::string png = encode(small_page(), IFF_PNG);
  std::ofstream(dir / "a.png", std::ios::binary) << png;
  std::ofstream(dir / "b.png", std::ios::binary) << png;
  Discovery d = discover({dir}, {});
  ASSERT_EQ(d.items.size(), 2u);

  std::ofstream(dir / "a.png", std::ios::binary) << encode(small_page(310, 400), IFF_PNG);
  Error changed = error_of([&] { load_bytes(d.items[0], {}); });
  EXPECT_EQ(changed.code(), ErrorCode::unreadable);
  EXPECT_NE(std::string(changed.what()).find("changed while the batch was running"), std::string::npos);

  std::filesystem::remove(dir / "b.png");
  Error vanished = error_of([&] { load_bytes(d.items[1], {}); });
  EXPECT_EQ(vanished.code(), ErrorCode::unreadable);
  EXPECT_NE(std::string(vanished.what()).find("No such file"), std::string::npos) << vanished.what();
  std::filesystem::remove_all(dir);
}

TEST(HostileFiles, DevicesAndPipesGivenAsInputAreRefusedWithoutReadingThem) {
  auto dir = fixtures::temp_dir("hostile-fifo");
  ASSERT_EQ(::mkfifo((dir / "pipe.pdf").c_str(), 0644), 0);
  Discovery d;
  // Reading either would hang (a pipe with no writer) or fill memory (/dev/zero).
  EXPECT_LT(seconds([&] { d = discover({"/dev/zero", dir / "pipe.pdf", dir}, {}); }), 5);
  EXPECT_TRUE(d.items.empty());
  ASSERT_EQ(d.errors.size(), 3u);
  for (const auto& e : d.errors) EXPECT_NE(e.reason.find("not a regular file"), std::string::npos) << e.reason;
  std::filesystem::remove_all(dir);
}

// --- inputs the fuzzers found ---------------------------------------------------------------

std::string regression(const char* name) {
  const std::string data = slurp(std::filesystem::path(SOHOA_TESTS_DIR) / "fuzz" / "regressions" / name);
  if (data.empty()) throw std::runtime_error(std::string("missing regression input ") + name);
  return data;
}

TEST(FuzzRegression, ArchiveDamageWithoutAMessageIsReportedNotACrash) {
  // libarchive gave a NULL error string here, and appending it to the reason crashed the batch.
  std::vector<InputError> errors;
  try {
    auto members = read_archive(vec(regression("archive-error-without-text.zip")), {}, errors, "x.zip");
    for (const auto& e : errors) EXPECT_FALSE(e.reason.empty());
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::damaged);
    EXPECT_NE(std::string(e.what()).find("damaged data"), std::string::npos) << e.what();
  }
}
