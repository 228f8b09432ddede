#include "ingest/pdf_signatures.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/pdf_date.h"
#include "core/text.h"

namespace sohoa::ingest {
namespace stdfs = std::filesystem;

namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
void free_x509_stack(STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }

std::string name_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // RFC 2253 order (most specific first), UTF-8 kept as it is rather than escaped.
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return text::nfc(std::string(data, n > 0 ? n : 0));
}

std::string name_entry(const X509_NAME* name, int nid) {
  const int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return "";
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), n);
  OPENSSL_free(utf8);
  return text::nfc(out);
}

std::string iso_of_tm(const std::tm& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                t.tm_hour, t.tm_min, t.tm_sec);
  return buf;
}

std::string iso_of_asn1_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "";
  return iso_of_tm(tm);
}

/// A PDF date "D:YYYYMMDDHHmmSS+HH'mm'" in UTC; "" when it does not give at least the day.
std::string iso_of_pdf_date(const std::string& pdf_date) {
  const std::string_view s = std::string_view(pdf_date).substr(pdf_date.rfind("D:", 0) == 0 ? 2 : 0);
  if (s.size() < 8 || !std::all_of(s.begin(), s.begin() + 8, ::isdigit)) return "";
  const std::optional<long long> epoch = pdfdate::parse(s);
  if (!epoch) return "";
  const time_t t = static_cast<time_t>(*epoch);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return iso_of_tm(utc);
}

std::string sub_filter_of(QPDFObjectHandle v) {
  QPDFObjectHandle sf = v.getKey("/SubFilter");
  return sf.isName() ? sf.getName().substr(1) : "";
}

/// The signing time the signer put into the signed attributes (PKCS#9 signingTime).
std::string signed_attribute_time(CMS_SignerInfo* si) {
  const int i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (i < 0) return "";
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, i);
  ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attr, 0);
  if (!t) return "";
  if (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME)
    return iso_of_asn1_time(reinterpret_cast<const ASN1_TIME*>(t->value.asn1_string));
  return "";
}

std::string digest_name(CMS_SignerInfo* si) {
  X509_ALGOR* dig = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, nullptr);
  if (!dig) return "";
  const ASN1_OBJECT* obj = nullptr;
  X509_ALGOR_get0(&obj, nullptr, nullptr, dig);
  const int nid = OBJ_obj2nid(obj);
  if (nid == NID_undef) return "";
  std::string n = OBJ_nid2sn(nid);
  std::transform(n.begin(), n.end(), n.begin(), ::tolower);
  n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
  return n;
}

// Ranked most serious first: the record names the worst, and lists them all.
const std::vector<std::string>& problem_order() {
  static const std::vector<std::string> order = {"revoked", "invalid", "expired", "not_yet_valid", "unknown_issuer"};
  return order;
}

std::string problem_of(int err) {
  switch (err) {
    case X509_V_ERR_CERT_REVOKED: return "revoked";
    case X509_V_ERR_CERT_HAS_EXPIRED: return "expired";
    case X509_V_ERR_CERT_NOT_YET_VALID: return "not_yet_valid";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
      return "unknown_issuer";
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
      return "";  // no (current) CRL for this issuer: revocation unknown, not a fault of the certificate
    default:
      return "invalid";
  }
}

int collect_problems(int ok, X509_STORE_CTX* ctx) {
  if (!ok) {
    auto* problems = static_cast<std::set<std::string>*>(X509_STORE_CTX_get_app_data(ctx));
    const std::string p = problem_of(X509_STORE_CTX_get_error(ctx));
    if (problems && !p.empty()) problems->insert(p);
  }
  return 1;  // go on: every problem of the chain is wanted, not only the first
}

}  // namespace

struct TrustAnchors::Impl {
  std::vector<X509Ptr> certs;
  std::vector<CrlPtr> crls;
};

TrustAnchors::~TrustAnchors() = default;
int TrustAnchors::certificates() const { return static_cast<int>(impl_->certs.size()); }
int TrustAnchors::crls() const { return static_cast<int>(impl_->crls.size()); }

std::shared_ptr<const TrustAnchors> TrustAnchors::load(const stdfs::path& dir) {
  auto t = std::shared_ptr<TrustAnchors>(new TrustAnchors());
  t->impl_ = std::make_unique<Impl>();
  std::error_code ec;
  std::vector<stdfs::path> files;
  for (const auto& e : stdfs::directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) files.push_back(e.path());
  if (ec) throw Error(ErrorCode::unreadable, "the trust folder " + dir.string() + " cannot be read: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const std::vector<uint8_t> bytes = fs::read_file(f, 16 << 20);
    // PEM may hold several certificates and CRLs; DER holds one of either.
    BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    bool any = false;
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      t->impl_->certs.emplace_back(x);
      any = true;
    }
    bio.reset(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    while (X509_CRL* c = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
      t->impl_->crls.emplace_back(c);
      any = true;
    }
    if (!any) {
      const unsigned char* p = bytes.data();
      if (X509* x = d2i_X509(nullptr, &p, static_cast<long>(bytes.size()))) {
        t->impl_->certs.emplace_back(x);
      } else {
        p = bytes.data();
        if (X509_CRL* c = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size()))) t->impl_->crls.emplace_back(c);
      }
    }
    ERR_clear_error();
  }
  if (t->impl_->certs.empty())
    throw Error(ErrorCode::unreadable, "the trust folder " + dir.string() + " holds no certificate (PEM or DER)");
  return t;
}

namespace {

/// The certificate's state at `now` against the anchors (none: never "valid").
void judge_certificate(X509* signer, STACK_OF(X509)* extra, const TrustAnchors* trust, long long now,
                       DigitalSignature& sig) {
  StorePtr store(X509_STORE_new());
  bool have_crls = false;
  if (trust) {
    for (const auto& c : trust->impl().certs) X509_STORE_add_cert(store.get(), c.get());
    for (const auto& c : trust->impl().crls) X509_STORE_add_crl(store.get(), c.get());
    have_crls = trust->crls() > 0;
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  std::set<std::string> problems;
  if (!X509_STORE_CTX_init(ctx.get(), store.get(), signer, extra)) {
    sig.certificate = "invalid";
    return;
  }
  X509_STORE_CTX_set_app_data(ctx.get(), &problems);
  X509_STORE_CTX_set_verify_cb(ctx.get(), collect_problems);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  if (have_crls) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
  X509_verify_cert(ctx.get());
  if (!trust) problems.insert("unknown_issuer");
  sig.trust_anchors = trust != nullptr;
  for (const std::string& p : problem_order())
    if (problems.count(p)) sig.certificate_problems.push_back(p);
  sig.certificate = sig.certificate_problems.empty() ? "valid" : sig.certificate_problems.front();
  ERR_clear_error();
}

void read_one(std::span<const uint8_t> pdf, QPDFObjectHandle v, const TrustAnchors* trust, long long now,
              DigitalSignature& sig) {
  sig.sub_filter = sub_filter_of(v);
  QPDFObjectHandle m = v.getKey("/M");
  if (m.isString()) {
    sig.signing_time = iso_of_pdf_date(m.getUTF8Value());
    if (!sig.signing_time.empty()) sig.signing_time_source = "pdf_dictionary";
  }
  QPDFObjectHandle br = v.getKey("/ByteRange");
  if (!br.isArray() || br.getArrayNItems() % 2 != 0 || br.getArrayNItems() == 0) {
    sig.error = "the signature has no usable /ByteRange";
    return;
  }
  std::string signed_bytes;
  long long end = 0;
  for (int i = 0; i < br.getArrayNItems(); i += 2) {
    QPDFObjectHandle o = br.getArrayItem(i), l = br.getArrayItem(i + 1);
    if (!o.isInteger() || !l.isInteger()) {
      sig.error = "the signature's /ByteRange is not numbers";
      return;
    }
    const long long off = o.getIntValue(), len = l.getIntValue();
    sig.byte_range.push_back(off);
    sig.byte_range.push_back(len);
    if (off < 0 || len < 0 || off + len > static_cast<long long>(pdf.size()) || off < end) {
      sig.error = "the signature's /ByteRange points outside the file";
      return;
    }
    signed_bytes.append(reinterpret_cast<const char*>(pdf.data()) + off, static_cast<size_t>(len));
    end = off + len;
  }
  sig.covers_whole_file = sig.byte_range[0] == 0 && end == static_cast<long long>(pdf.size());

  QPDFObjectHandle contents = v.getKey("/Contents");
  if (!contents.isString()) {
    sig.error = "the signature has no /Contents";
    return;
  }
  const std::string der = contents.getStringValue();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms) {
    sig.error = "the signature's CMS cannot be decoded";
    ERR_clear_error();
    return;
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  if (!infos || sk_CMS_SignerInfo_num(infos) < 1) {
    sig.error = "the signature holds no signer";
    return;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  sig.digest = digest_name(si);
  if (std::string t = signed_attribute_time(si); !t.empty()) {
    sig.signing_time = t;
    sig.signing_time_source = "signed_attributes";
  }
  std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), free_x509_stack>> certs(CMS_get1_certs(cms.get()));
  X509* signer = nullptr;
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i)
    if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs.get(), i)) == 0) signer = sk_X509_value(certs.get(), i);
  if (!signer) {
    sig.error = "the signer's certificate is not in the signature";
    return;
  }
  const X509_NAME* subject = X509_get_subject_name(signer);
  sig.signer_dn = name_string(subject);
  sig.signer_name = name_entry(subject, NID_commonName);
  sig.organization = name_entry(subject, NID_organizationName);
  sig.issuer_dn = name_string(X509_get_issuer_name(signer));
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(signer), nullptr)) {
    char* hex = BN_bn2hex(bn);
    sig.serial = hex;
    OPENSSL_free(hex);
    BN_free(bn);
  }
  sig.not_before = iso_of_asn1_time(X509_get0_notBefore(signer));
  sig.not_after = iso_of_asn1_time(X509_get0_notAfter(signer));

  // The signed bytes against the signature alone; the certificate is judged apart, below.
  BioPtr data(BIO_new_mem_buf(signed_bytes.data(), static_cast<int>(signed_bytes.size())));
  sig.bytes_intact = CMS_verify(cms.get(), nullptr, nullptr, data.get(), nullptr,
                                CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  ERR_clear_error();
  judge_certificate(signer, certs.get(), trust, now, sig);
}

}  // namespace

std::vector<DigitalSignature> read_pdf_signatures(std::span<const uint8_t> pdf, const TrustAnchors* trust,
                                                  long long now_epoch) {
  std::vector<DigitalSignature> out;
  // Cheap test first: a file without a signature dictionary is not parsed a second time.
  static const std::string kSig = "/Sig";
  if (std::search(pdf.begin(), pdf.end(), kSig.begin(), kSig.end()) == pdf.end()) return out;
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("input.pdf", reinterpret_cast<const char*>(pdf.data()), pdf.size());
    QPDFAcroFormDocumentHelper acro(q);
    if (!acro.hasAcroForm()) return out;
    std::map<QPDFObjGen, int> page_of_widget;
    int n = 0;
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
      ++n;
      for (auto& w : acro.getWidgetAnnotationsForPage(page)) page_of_widget[w.getObjectHandle().getObjGen()] = n;
    }
    for (auto& field : acro.getFormFields()) {
      if (field.getFieldType() != "/Sig") continue;
      QPDFObjectHandle v = field.getValue();
      if (!v.isDictionary()) continue;  // an empty field waiting for a signature
      DigitalSignature sig;
      sig.field = text::nfc(field.getFullyQualifiedName());
      for (auto& w : acro.getAnnotationsForField(field)) {
        auto it = page_of_widget.find(w.getObjectHandle().getObjGen());
        if (it != page_of_widget.end()) {
          sig.page = it->second;
          break;
        }
      }
      try {
        read_one(pdf, v, trust, now_epoch, sig);
      } catch (const std::exception& e) {
        sig.error = std::string("the signature cannot be read: ") + e.what();
      }
      out.push_back(std::move(sig));
    }
  } catch (const std::exception&) {
    // The PDF itself is damaged: the pages say so elsewhere; there is no signature to report.
  }
  std::stable_sort(out.begin(), out.end(), [](const DigitalSignature& a, const DigitalSignature& b) {
    const long long ea = a.byte_range.size() == 4 ? a.byte_range[2] + a.byte_range[3] : 0;
    const long long eb = b.byte_range.size() == 4 ? b.byte_range[2] + b.byte_range[3] : 0;
    return ea < eb;  // signing order: each later signature covers more of the file
  });
  return out;
}

}  // namespace sohoa::ingest
