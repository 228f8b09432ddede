// The sign stage on a real document.pdf: keys and certificates made here with OpenSSL (EC P-256,
// where the e2e tests use RSA), signatures judged by check_pdf.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "output/pdf_writer.h"
#include "sign/sign.h"
#include "sign/signature.h"
#include "test_helpers.h"

using namespace sohoa;
namespace stdfs = std::filesystem;

namespace {

constexpr long long kDay = 86400;

struct Made {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  ~Made() {
    EVP_PKEY_free(key);
    X509_free(cert);
  }
};

/// A certificate for a new EC key: self-signed when issuer is null. Validity relative to now.
void make_cert(Made& m, const std::string& org, const std::string& cn, const Made* issuer, long long from, long long to,
               int serial) {
  m.key = EVP_EC_gen("P-256");
  m.cert = X509_new();
  X509_set_version(m.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(m.cert), serial);
  X509_time_adj_ex(X509_getm_notBefore(m.cert), static_cast<int>(from / kDay), 0, nullptr);
  X509_time_adj_ex(X509_getm_notAfter(m.cert), static_cast<int>(to / kDay), 0, nullptr);
  X509_NAME* name = X509_get_subject_name(m.cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(m.cert, issuer ? X509_get_subject_name(issuer->cert) : name);
  X509_set_pubkey(m.cert, m.key);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer->cert : m.cert, m.cert, nullptr, nullptr, 0);
  const char* bc = issuer ? "critical,CA:FALSE" : "critical,CA:TRUE";
  const char* ku = issuer ? "critical,digitalSignature,nonRepudiation" : "critical,keyCertSign,cRLSign";
  for (auto [nid, value] : {std::pair{NID_basic_constraints, bc}, std::pair{NID_key_usage, ku}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(m.cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(m.cert, issuer ? issuer->key : m.key, EVP_sha256());
}

class Sign : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = stdfs::temp_directory_path() / ("sohoa-sign-test-" + std::to_string(::getpid()));
    stdfs::create_directories(dir_ / "trust");
    make_cert(ca_, "sohoa tests", "Unit Root", nullptr, -kDay, 3650 * kDay, 1);
    make_cert(office_, "UBND phường Bến Nghé", "Một cửa", &ca_, -kDay, 365 * kDay, 2);
    FILE* f = std::fopen((dir_ / "trust" / "root.pem").c_str(), "w");
    PEM_write_X509(f, ca_.cert);
    std::fclose(f);
    Image page = fixtures::text_like_page(600, 800);
    enc_ = output::encode_page_image(page);
    pdf_ = output::write_pdf({{&enc_, nullptr, 150}}, {"Giấy khai sinh", "sohoa test"});
  }
  void TearDown() override { stdfs::remove_all(dir_); }

  /// PKCS#12 of key and cert (and the CA) under a passphrase; returns its path.
  std::string p12(const Made& m, const std::string& pass, const std::string& name) {
    STACK_OF(X509)* ca = sk_X509_new_null();
    sk_X509_push(ca, ca_.cert);
    PKCS12* p = PKCS12_create(pass.c_str(), name.c_str(), m.key, m.cert, ca, 0, 0, 0, 0, 0);
    sk_X509_free(ca);
    EXPECT_NE(p, nullptr);
    const std::string path = (dir_ / (name + ".p12")).string();
    FILE* f = std::fopen(path.c_str(), "wb");
    i2d_PKCS12_fp(f, p);
    std::fclose(f);
    PKCS12_free(p);
    return path;
  }

  sign::KeySpec spec(const std::string& key_path, const std::string& pass) {
    const stdfs::path pf = dir_ / "pass.txt";
    std::ofstream(pf) << pass << "\n";
    sign::KeySpec s;
    s.key = key_path;
    s.passphrase_file = pf.string();
    return s;
  }

  stdfs::path dir_;
  Made ca_, office_;
  EncodedImage enc_;
  std::string pdf_;
};

}  // namespace

TEST_F(Sign, SignedPdfHoldsAndKeepsTheOriginalBytes) {
  const auto signer = sign::Signer::open(spec(p12(office_, "pw", "office"), "pw"), std::time(nullptr));
  EXPECT_EQ(signer->field_name(), "UBND phường Bến Nghé");
  const std::string signed_pdf = signer->sign_pdf(pdf_, std::time(nullptr));
  ASSERT_GT(signed_pdf.size(), pdf_.size());
  EXPECT_EQ(signed_pdf.compare(0, pdf_.size(), pdf_), 0);
  const auto trust = sign::Trust::load(dir_ / "trust", {});
  const auto checks = sign::check_pdf(signed_pdf, trust.get());
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].problems.empty()) << checks[0].problems[0];
  EXPECT_EQ(checks[0].found.field, "UBND phường Bến Nghé");
  EXPECT_EQ(checks[0].found.sub_filter, "ETSI.CAdES.detached");
  EXPECT_EQ(checks[0].found.signer.subject, "CN=Một cửa,O=UBND phường Bến Nghé");
  EXPECT_EQ(checks[0].found.signer.serial, "02");
  EXPECT_EQ(checks[0].found.signer.chain_pem.size(), 2u);  // the office, then the CA
  EXPECT_TRUE(checks[0].found.covers_whole_file);
  EXPECT_FALSE(checks[0].found.timestamped);
  EXPECT_NEAR(static_cast<double>(checks[0].found.signing_time), static_cast<double>(std::time(nullptr)), 60);
}

TEST_F(Sign, EveryChangedByteIsFound) {
  const auto signer = sign::Signer::open(spec(p12(office_, "pw", "office"), "pw"), std::time(nullptr));
  const std::string good = signer->sign_pdf(pdf_, std::time(nullptr));
  // A byte of the page image, of the signature dictionary's /M (signed), of the signature value.
  const size_t image_byte = pdf_.size() / 2;
  const size_t m_byte = good.rfind("/M (D:") + 8;
  std::string bad = good;
  bad[image_byte] ^= 0x20;
  auto checks = sign::check_pdf(bad, nullptr);
  ASSERT_EQ(checks.size(), 1u);
  ASSERT_EQ(checks[0].problems.size(), 1u);
  EXPECT_EQ(checks[0].problems[0], "modified after signing: the signed bytes no longer match the signature");
  bad = good;
  bad[m_byte] = bad[m_byte] == '1' ? '2' : '1';
  checks = sign::check_pdf(bad, nullptr);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].problems.empty());
  // The last hex digit of the DER (before the zero padding) is inside the signature value.
  const size_t lt = good.find("/Contents <", good.rfind("/ByteRange")) + 10;
  size_t last = good.find('>', lt) - 1;
  while (good[last] == '0') --last;
  bad = good;
  bad[last] = bad[last] == 'a' ? 'b' : 'a';
  checks = sign::check_pdf(bad, nullptr);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].problems.empty());
}

TEST_F(Sign, ASecondSignatureKeepsTheFirstValid) {
  const auto signer = sign::Signer::open(spec(p12(office_, "pw", "office"), "pw"), std::time(nullptr));
  const std::string once = signer->sign_pdf(pdf_, std::time(nullptr));
  const std::string twice = signer->sign_pdf(once, std::time(nullptr));
  const auto trust = sign::Trust::load(dir_ / "trust", {});
  const auto checks = sign::check_pdf(twice, trust.get());
  ASSERT_EQ(checks.size(), 2u);
  for (const auto& c : checks) EXPECT_TRUE(c.problems.empty()) << c.problems[0];
  EXPECT_FALSE(checks[0].found.covers_whole_file);
  EXPECT_TRUE(checks[1].found.covers_whole_file);
  EXPECT_EQ(checks[1].found.field, "UBND phường Bến Nghé 2");  // field names stay unique
}

TEST_F(Sign, BadKeysAreRefusedWithTheReason) {
  const std::string path = p12(office_, "right", "office");
  try {
    sign::Signer::open(spec(path, "wrong"), std::time(nullptr));
    FAIL() << "a wrong passphrase was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": wrong passphrase (the file's integrity check fails with it)");
  }
  Made old;
  make_cert(old, "UBND cũ", "Hết hạn", &ca_, -400 * kDay, -30 * kDay, 3);
  try {
    sign::Signer::open(spec(p12(old, "pw", "old"), "pw"), std::time(nullptr));
    FAIL() << "an expired certificate was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the certificate of CN=Hết hạn,O=UBND cũ expired on "), std::string::npos)
        << e.what();
  }
  // Not a PKCS#12 file at all.
  std::ofstream(dir_ / "junk.p12") << "not a key";
  EXPECT_THROW(sign::Signer::open(spec((dir_ / "junk.p12").string(), "pw"), std::time(nullptr)), Error);
  // A trust folder without certificates is a usage error, not "everything untrusted".
  stdfs::create_directories(dir_ / "empty");
  EXPECT_THROW(sign::Trust::load(dir_ / "empty", {}), Error);
}

TEST_F(Sign, SignedAfterTheCertificateExpiredIsNamed) {
  // Signed with a certificate valid today, claimed 2 years from now: expired at the signing time.
  const auto signer = sign::Signer::open(spec(p12(office_, "pw", "office"), "pw"), std::time(nullptr));
  const long long later = std::time(nullptr) + 730 * kDay;
  const auto trust = sign::Trust::load(dir_ / "trust", {});
  const auto checks = sign::check_pdf(signer->sign_pdf(pdf_, later), trust.get());
  ASSERT_EQ(checks.size(), 1u);
  ASSERT_EQ(checks[0].problems.size(), 1u);
  EXPECT_EQ(checks[0].problems[0].rfind("certificate expired: CN=Một cửa,O=UBND phường Bến Nghé was valid until ", 0), 0u)
      << checks[0].problems[0];
}
