#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "ingest/ingest.h"
#include "output/pdf_writer.h"
#include "test_helpers.h"

using namespace sohoa;
using namespace sohoa::ingest;

namespace {

Bytes bytes_of(const std::string& s) { return std::make_shared<const std::vector<uint8_t>>(s.begin(), s.end()); }

std::string png_bytes(const Image& img, int dpi) {
  Image copy = img.copy();
  pixSetResolution(copy.get(), dpi, dpi);
  l_uint8* data = nullptr;
  size_t size = 0;
  pixWriteMem(&data, &size, copy.get(), IFF_PNG);
  std::string out(reinterpret_cast<char*>(data), size);
  lept_free(data);
  return out;
}

std::string zip_with(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out(1 << 20, '\0');
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const auto& [name, content] : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, content.size());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

}  // namespace

TEST(IngestRaster, PngKeepsItsResolutionAndMissingDpiIsAssumed) {
  Image page = fixtures::text_like_page(1654, 2339);
  auto with_dpi = open_page_source(bytes_of(png_bytes(page, 200)), Format::png, {});
  RawPage p = with_dpi->load(0);
  EXPECT_EQ(p.image.width(), 1654);
  EXPECT_DOUBLE_EQ(p.dpi, 200);
  EXPECT_FALSE(p.dpi_assumed);

  auto no_dpi = open_page_source(bytes_of(png_bytes(page, 0)), Format::png, {});
  RawPage q = no_dpi->load(0);
  EXPECT_DOUBLE_EQ(q.dpi, 300);
  EXPECT_TRUE(q.dpi_assumed);
}

TEST(IngestRaster, TruncatedPngIsReportedAsDamaged) {
  std::string png = png_bytes(fixtures::text_like_page(800, 1000), 300);
  png.resize(png.size() / 2);
  try {
    auto src = open_page_source(bytes_of(png), Format::png, {});
    src->load(0);
    FAIL() << "a truncated PNG was decoded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::damaged);
    EXPECT_NE(std::string(e.what()).find("PNG"), std::string::npos) << e.what();
  }
}

TEST(IngestRaster, HugeClaimedSizeIsRefusedBeforeDecoding) {
  Limits limits;
  limits.max_pixels = 1000 * 1000;
  std::string png = png_bytes(fixtures::text_like_page(1200, 1200), 300);
  try {
    open_page_source(bytes_of(png), Format::png, limits);
    FAIL() << "an over-limit image was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  }
}

TEST(IngestRaster, MultipageTiffGivesEveryPage) {
  PIXA* pixa = pixaCreate(3);
  for (int i = 0; i < 3; ++i) {
    Image page = fixtures::text_like_page(1000 + 100 * i, 1400, i);
    pixaAddPix(pixa, page.release(), L_INSERT);
  }
  auto dir = fixtures::temp_dir("tiff");
  const std::string path = (dir / "stack.tif").string();
  ASSERT_EQ(pixaWriteMultipageTiff(path.c_str(), pixa), 0);
  pixaDestroy(&pixa);
  std::ifstream f(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(f)), {});
  auto src = open_page_source(bytes_of(data), sniff({reinterpret_cast<const uint8_t*>(data.data()), data.size()}), {});
  ASSERT_EQ(src->page_count(), 3);
  EXPECT_EQ(src->load(2).image.width(), 1200);
  EXPECT_EQ(src->load(0).image.width(), 1000);
}

TEST(IngestPdf, ScannedPageImageIsTakenAtItsOwnResolution) {
  Image page = fixtures::text_like_page(1654, 2339);  // A4 at 200 dpi
  EncodedImage enc = output::encode_page_image(page);
  OcrResult none;
  std::string pdf = output::write_pdf({{&enc, &none, 200}}, {"t", "test"});
  auto src = open_page_source(bytes_of(pdf), Format::pdf, {});
  ASSERT_EQ(src->page_count(), 1);
  RawPage p = src->load(0);
  EXPECT_EQ(p.image.width(), 1654);
  EXPECT_EQ(p.image.height(), 2339);
  EXPECT_DOUBLE_EQ(p.dpi, 200);
  EXPECT_FALSE(p.text_layer.has_value());
}

TEST(IngestPdf, MalformedAndEmptyPdfsAreDamaged) {
  EXPECT_THROW(open_page_source(bytes_of("%PDF-1.4\ngarbage garbage\n"), Format::pdf, {}), Error);
}

TEST(IngestArchive, MembersAreReadAndUnsafePathsRefused) {
  const std::string png = png_bytes(fixtures::text_like_page(600, 800), 300);
  const std::string zip = zip_with({{"dossier/page1.png", png}, {"../../etc/evil.png", png}, {"/abs.png", png},
                                    {"__MACOSX/._page1.png", "junk"}});
  std::vector<uint8_t> bytes(zip.begin(), zip.end());
  std::vector<InputError> errors;
  auto members = read_archive(bytes, {}, errors, "scans.zip");
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "dossier/page1.png");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(*errors[0].member, "../../etc/evil.png");
  EXPECT_NE(errors[0].reason.find("outside"), std::string::npos);
}

TEST(IngestArchive, ZipBombIsStoppedByTheRatioLimit) {
  const std::string zeros(8 << 20, '\0');  // compresses about 1000:1
  const std::string zip = zip_with({{"a.tif", zeros}});
  std::vector<uint8_t> bytes(zip.begin(), zip.end());
  Limits limits;
  limits.max_archive_ratio = 10;
  limits.max_archive_expanded = 1 << 20;
  std::vector<InputError> errors;
  try {
    read_archive(bytes, limits, errors, "bomb.zip");
    FAIL() << "the bomb expanded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::resource_limit);
  }
}

TEST(IngestDiscover, BadFilesBecomeErrorsAndGoodOnesItems) {
  auto dir = fixtures::temp_dir("discover");
  std::filesystem::create_directories(dir / "HS-1");
  std::ofstream(dir / "HS-1" / "page.png", std::ios::binary) << png_bytes(fixtures::text_like_page(600, 800), 300);
  std::ofstream(dir / "HS-1" / "notes.tif") << "not an image";
  std::ofstream(dir / "empty.pdf");
  std::ofstream(dir / ".DS_Store") << "ignored";
  Discovery d = discover({dir}, {});
  ASSERT_EQ(d.items.size(), 1u);
  EXPECT_EQ(d.items[0].source.path, "HS-1/page.png");
  EXPECT_EQ(d.items[0].dossier, "HS-1");
  ASSERT_EQ(d.errors.size(), 2u);
  EXPECT_EQ(d.errors[0].path, "HS-1/notes.tif");
  EXPECT_EQ(d.errors[1].path, "empty.pdf");
  EXPECT_NE(d.errors[1].reason.find("empty"), std::string::npos);
}

TEST(IngestDiscover, NamesAreNfcAndANormalisationClashIsAnErrorNotAnOverwrite) {
  auto dir = fixtures::temp_dir("discover-nfc");
  std::filesystem::create_directories(dir / "HS-1");
  const std::string png = png_bytes(fixtures::text_like_page(600, 800), 300);
  const std::string nfc = "bi\xC3\xAAn nh\xE1\xBA\xADn.png";    // "biên nhận.png", precomposed
  const std::string nfd = "bie\xCC\x82n nha\xCC\xA3\xCC\x82n.png";  // the same name decomposed
  const std::string nfd_only = "ca\xCC\x86n cu\xCC\x9Bo\xCC\x9B\xCC\x81" "c.png";  // "căn cước" decomposed, alone
  for (const std::string& name : {nfc, nfd, nfd_only}) std::ofstream(dir / "HS-1" / name, std::ios::binary) << png;
  // The same name inside an archive, written both ways.
  std::ofstream(dir / "HS-1" / "scans.zip", std::ios::binary) << zip_with({{nfd, png}, {nfc, png}});
  Discovery d = discover({dir}, {});
  std::vector<std::string> places;
  for (const auto& item : d.items) places.push_back(item.source.display());
  EXPECT_EQ(places, (std::vector<std::string>{"HS-1/bi\xC3\xAAn nh\xE1\xBA\xADn.png",
                                              "HS-1/c\xC4\x83n c\xC6\xB0\xE1\xBB\x9B" "c.png",
                                              "HS-1/scans.zip!" + nfc}));
  for (const auto& item : d.items) EXPECT_EQ(item.source.dossier, "HS-1");
  ASSERT_EQ(d.errors.size(), 2u);
  EXPECT_EQ(d.errors[0].path, "HS-1/" + nfc);  // the NFD spelling, named in NFC
  EXPECT_NE(d.errors[0].reason.find("decomposed, NFD"), std::string::npos) << d.errors[0].reason;
  EXPECT_EQ(d.errors[1].path, "HS-1/scans.zip");
  EXPECT_EQ(*d.errors[1].member, nfc);
  EXPECT_NE(d.errors[1].reason.find("another Unicode form"), std::string::npos) << d.errors[1].reason;
}

TEST(IngestDiscover, AFolderNamedLikeADossierCodeIsThatDossier) {
  auto dir = fixtures::temp_dir("discover-dossier");
  const std::string png = png_bytes(fixtures::text_like_page(600, 800), 300);
  for (const char* code : {"HS-000101", "000.00.19.H26-240101-0001", "scans"}) {
    std::filesystem::create_directories(dir / code / "sub");
    std::ofstream(dir / code / "a.png", std::ios::binary) << png;
    std::ofstream(dir / code / "sub" / "b.png", std::ios::binary) << png;
  }
  for (const char* code : {"HS-000101", "000.00.19.H26-240101-0001"}) {
    Discovery d = discover({dir / code}, {});
    ASSERT_EQ(d.items.size(), 2u) << code;
    EXPECT_EQ(d.items[0].source.path, std::string(code) + "/a.png");
    EXPECT_EQ(d.items[1].source.path, std::string(code) + "/sub/b.png");
    for (const auto& item : d.items) EXPECT_EQ(item.dossier, code);
    // Given with a trailing slash, the folder is the same dossier.
    EXPECT_EQ(discover({dir.string() + "/" + code + "/"}, {}).items[0].source.path, std::string(code) + "/a.png");
  }
  // Any other folder holds one dossier per sub-folder; loose files take --dossier, else none.
  Discovery plain = discover({dir / "scans"}, {});
  ASSERT_EQ(plain.items.size(), 2u);
  EXPECT_EQ(plain.items[0].source.path, "a.png");
  EXPECT_EQ(plain.items[0].dossier, "");
  EXPECT_EQ(plain.items[1].dossier, "sub");
  EXPECT_EQ(discover({dir / "scans"}, {}, {}, "HS-9").items[0].source.dossier, "HS-9");
  EXPECT_FALSE(is_dossier_code("scans"));
  EXPECT_FALSE(is_dossier_code("IMG0001"));
  EXPECT_TRUE(is_dossier_code("hs_2024_0012"));
}

TEST(IngestDiscover, ASymlinkedScanKeepsItsNameAndDossierInTheFolder) {
  // Shared scan folders often link files kept elsewhere; the record names the link, and the
  // dossier is the folder the link is in, not the target's path ("../../store/x.png").
  auto dir = fixtures::temp_dir("discover-link");
  std::filesystem::create_directories(dir / "store");
  std::filesystem::create_directories(dir / "scans" / "HS-7");
  std::ofstream(dir / "store" / "x.png", std::ios::binary) << png_bytes(fixtures::text_like_page(600, 800), 300);
  std::filesystem::create_symlink(dir / "store" / "x.png", dir / "scans" / "HS-7" / "giay-khai-sinh.png");
  Discovery d = discover({dir / "scans"}, {});
  ASSERT_EQ(d.items.size(), 1u);
  EXPECT_EQ(d.items[0].source.path, "HS-7/giay-khai-sinh.png");
  EXPECT_EQ(d.items[0].dossier, "HS-7");
}

TEST(IngestDiscover, TheSamePathUnderTwoRootsIsAnErrorNotAnOverwrite) {
  auto dir = fixtures::temp_dir("discover-roots");
  const std::string png = png_bytes(fixtures::text_like_page(600, 800), 300);
  for (const char* root : {"a", "b"}) {
    std::filesystem::create_directories(dir / root / "HS-1");
    std::ofstream(dir / root / "HS-1" / "x.png", std::ios::binary) << png;
  }
  Discovery d = discover({dir / "a", dir / "b"}, {});
  ASSERT_EQ(d.items.size(), 1u);
  EXPECT_EQ(d.items[0].file, dir / "a" / "HS-1" / "x.png");
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].path, "HS-1/x.png");
  EXPECT_NE(d.errors[0].reason.find("same path in the same dossier"), std::string::npos) << d.errors[0].reason;
}
