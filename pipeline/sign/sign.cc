// PAdES B-B/B-T signing with OpenSSL's CMS, the PDF revision written next to qpdf's parse.
// Debian 12 has no PKCS#11 provider for OpenSSL 3, only libp11's engine: the engine API is
// deprecated but is what a USB token is reached through there.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sign/sign.h"

#include <openssl/engine.h>
#include <openssl/http.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/ui.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/pdf_date.h"
#include "sign/ossl.h"
#include "sign/signature.h"

namespace sohoa::sign {
namespace stdfs = std::filesystem;

namespace {

/// A PDF text string: literal when ASCII, else UTF-16BE with its byte-order mark.
std::string text_string(const std::string& utf8) {
  bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (ascii) {
    std::string s = "(";
    for (char c : utf8) {
      if (c == '(' || c == ')' || c == '\\') s += '\\';
      s += c;
    }
    return s + ")";
  }
  std::u16string u;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = utf8[i];
    char32_t cp;
    int n;
    if (c < 0x80) cp = c, n = 1;
    else if ((c >> 5) == 6) cp = c & 0x1f, n = 2;
    else if ((c >> 4) == 14) cp = c & 0x0f, n = 3;
    else cp = c & 0x07, n = 4;
    for (int k = 1; k < n && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3f);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      u += static_cast<char16_t>(0xd800 + (cp >> 10));
      u += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      u += static_cast<char16_t>(cp);
    }
  }
  static const char* hex = "0123456789ABCDEF";
  std::string s = "<FEFF";
  for (char16_t ch : u)
    for (int shift : {12, 8, 4, 0}) s += hex[(ch >> shift) & 15];
  return s + ">";
}

std::string ref(const QPDFObjGen& og) { return std::to_string(og.getObj()) + " " + std::to_string(og.getGen()) + " R"; }

/// The value of an attribute of a distinguished name (first occurrence), "" when absent.
std::string name_entry(const X509_NAME* name, int nid) {
  const int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return "";
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
  if (n < 0) return "";
  std::string s(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return s;
}

/// The original bytes plus one revision: the signature dictionary with a zeroed /Contents, its
/// invisible widget (field) on the first page, the AcroForm, and the xref section and trailer.
struct Revision {
  std::string bytes;
  size_t contents_lt = 0;  // offset of '<' of /Contents
  size_t contents_gt = 0;  // offset of its '>'
};

Revision add_signature_revision(const std::string& pdf, const std::string& field, long long signing_time,
                                size_t reserve) {
  QPDF q;
  q.setSuppressWarnings(true);
  try {
    q.processMemoryFile("document.pdf", pdf.data(), pdf.size());
  } catch (const std::exception& e) {
    throw Error(ErrorCode::damaged, std::string("cannot read the PDF to sign it: ") + e.what());
  }
  if (q.isEncrypted()) throw Error(ErrorCode::encrypted, "the PDF is encrypted; sohoa signs only its own, unencrypted PDFs");
  QPDFObjectHandle trailer = q.getTrailer();
  QPDFObjectHandle root = q.getRoot();
  auto pages = QPDFPageDocumentHelper(q).getAllPages();
  if (pages.empty()) throw Error(ErrorCode::damaged, "the PDF has no page to put the signature field on");
  QPDFObjectHandle page = pages.front().getObjectHandle();
  const size_t prev = [&] {
    const size_t at = pdf.rfind("startxref");
    if (at == std::string::npos) throw Error(ErrorCode::damaged, "the PDF has no startxref");
    return static_cast<size_t>(std::strtoull(pdf.c_str() + at + 9, nullptr, 10));
  }();

  // New objects get numbers after every existing one.
  QPDFObjectHandle sig = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
  QPDFObjectHandle widget = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
  QPDFObjectHandle appearance = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
  std::map<int, QPDFObjGen> changed;  // existing objects rewritten in the new revision
  changed[root.getObjGen().getObj()] = root.getObjGen();
  changed[page.getObjGen().getObj()] = page.getObjGen();

  QPDFObjectHandle annots = page.getKey("/Annots");
  if (annots.isArray()) {
    annots.appendItem(widget);
    if (annots.isIndirect()) changed[annots.getObjGen().getObj()] = annots.getObjGen();
  } else {
    page.replaceKey("/Annots", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{widget}));
  }
  std::string name = field;
  std::replace(name.begin(), name.end(), '.', ' ');  // a period separates field names
  QPDFObjectHandle acro = root.getKey("/AcroForm");
  const bool new_acro = !acro.isDictionary();
  if (new_acro) acro = QPDFObjectHandle::newDictionary();
  else if (acro.isIndirect()) changed[acro.getObjGen().getObj()] = acro.getObjGen();
  QPDFObjectHandle fields = acro.getKey("/Fields");
  if (fields.isArray()) {
    std::vector<std::string> taken;
    for (int i = 0; i < fields.getArrayNItems(); ++i) {
      QPDFObjectHandle f = fields.getArrayItem(i);
      if (f.isDictionary() && f.getKey("/T").isString()) taken.push_back(f.getKey("/T").getUTF8Value());
    }
    const std::string base = name;
    for (int n = 2; std::find(taken.begin(), taken.end(), name) != taken.end(); ++n) name = base + " " + std::to_string(n);
    fields.appendItem(widget);
    if (fields.isIndirect()) changed[fields.getObjGen().getObj()] = fields.getObjGen();
  } else {
    acro.replaceKey("/Fields", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{widget}));
  }
  acro.replaceKey("/SigFlags", QPDFObjectHandle::newInteger(3));  // signatures exist; append only
  if (new_acro) root.replaceKey("/AcroForm", acro);

  Revision rev;
  rev.bytes.reserve(pdf.size() + 2 * reserve + 4096);
  rev.bytes = pdf;
  if (rev.bytes.back() != '\n') rev.bytes += '\n';
  std::map<int, std::pair<size_t, int>> xref;  // object -> (offset, generation)
  auto begin_obj = [&](const QPDFObjGen& og) {
    xref[og.getObj()] = {rev.bytes.size(), og.getGen()};
    rev.bytes += std::to_string(og.getObj()) + " " + std::to_string(og.getGen()) + " obj\n";
  };
  for (const auto& [num, og] : changed) {
    begin_obj(og);
    rev.bytes += q.getObjectByObjGen(og).unparseResolved() + "\nendobj\n";
  }
  // The signature dictionary: ByteRange is filled in once the file's length is known.
  begin_obj(sig.getObjGen());
  rev.bytes += "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (" + pdfdate::format(signing_time) +
               ") /ByteRange [0 0 0 0]";
  rev.bytes += std::string(36, ' ');
  rev.bytes += " /Contents ";
  rev.contents_lt = rev.bytes.size();
  rev.bytes += '<' + std::string(2 * reserve, '0') + '>';
  rev.contents_gt = rev.bytes.size() - 1;
  rev.bytes += " >>\nendobj\n";
  // Invisible (zero-size) widget: PDF/A-2 asks no appearance of it; an empty one is given anyway.
  begin_obj(widget.getObjGen());
  rev.bytes += "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [0 0 0 0] /T " + text_string(name) + " /V " +
               ref(sig.getObjGen()) + " /P " + ref(page.getObjGen()) + " /AP << /N " + ref(appearance.getObjGen()) +
               " >> >>\nendobj\n";
  begin_obj(appearance.getObjGen());
  rev.bytes += "<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Length 0 >>\nstream\n\nendstream\nendobj\n";

  const size_t xref_at = rev.bytes.size();
  rev.bytes += "xref\n";
  for (auto it = xref.begin(); it != xref.end();) {
    auto end = it;
    int next = it->first;
    while (end != xref.end() && end->first == next) ++end, ++next;
    rev.bytes += std::to_string(it->first) + " " + std::to_string(next - it->first) + "\n";
    for (; it != end; ++it) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%010zu %05d n \n", it->second.first, it->second.second);
      rev.bytes += buf;
    }
  }
  long long size = trailer.getKey("/Size").isInteger() ? trailer.getKey("/Size").getIntValue() : 0;
  size = std::max<long long>(size, xref.rbegin()->first + 1);
  rev.bytes += "trailer\n<< /Size " + std::to_string(size) + " /Root " + ref(root.getObjGen());
  if (trailer.hasKey("/Info")) rev.bytes += " /Info " + trailer.getKey("/Info").unparse();
  if (trailer.hasKey("/ID")) rev.bytes += " /ID " + trailer.getKey("/ID").unparse();
  rev.bytes += " /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return rev;
}

ossl::Certs read_pem_certs(const std::string& path) {
  const auto bytes = fs::read_file(path, 16u << 20);
  ossl::Bio b = ossl::mem_bio(bytes.data(), bytes.size());
  ossl::Certs certs(sk_X509_new_null());
  while (X509* c = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr)) sk_X509_push(certs.get(), c);
  ERR_clear_error();
  if (sk_X509_num(certs.get()) == 0) {
    // One DER certificate.
    const unsigned char* p = bytes.data();
    if (X509* c = d2i_X509(nullptr, &p, static_cast<long>(bytes.size()))) sk_X509_push(certs.get(), c);
  }
  if (sk_X509_num(certs.get()) == 0) throw Error(ErrorCode::unreadable, path + ": no certificate in it (PEM or DER)");
  return certs;
}

/// Legacy PKCS#12 files (RC2/3DES, as older Windows and token tools write them) need OpenSSL's
/// legacy provider; loaded once, only when such a file is met.
void load_legacy_provider() {
  static std::once_flag once;
  std::call_once(once, [] {
    OSSL_PROVIDER_load(nullptr, "legacy");
    OSSL_PROVIDER_load(nullptr, "default");
  });
}

struct EngineHolder {
  ENGINE* engine = nullptr;
  bool initialised = false;
  ~EngineHolder() {
    if (initialised) ENGINE_finish(engine);
    if (engine) ENGINE_free(engine);
  }
};

class OfficeSigner final : public Signer {
 public:
  void open_p12(const std::string& path, const std::string& pass) {
    const auto bytes = fs::read_file(path, 16u << 20);
    ossl::Bio b = ossl::mem_bio(bytes.data(), bytes.size());
    ossl::P12 p12(d2i_PKCS12_bio(b.get(), nullptr));
    if (!p12) throw Error(ErrorCode::unreadable, path + ": not a PKCS#12 file (.p12/.pfx)");
    if (PKCS12_mac_present(p12.get()) && !PKCS12_verify_mac(p12.get(), pass.c_str(), static_cast<int>(pass.size())) &&
        !(pass.empty() && PKCS12_verify_mac(p12.get(), nullptr, 0))) {
      ERR_clear_error();
      throw Error(ErrorCode::unreadable, path + ": wrong passphrase (the file's integrity check fails with it)");
    }
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* ca = nullptr;
    if (!PKCS12_parse(p12.get(), pass.c_str(), &key, &cert, &ca)) {
      ERR_clear_error();
      load_legacy_provider();
      if (!PKCS12_parse(p12.get(), pass.c_str(), &key, &cert, &ca))
        throw Error(ErrorCode::unreadable, path + ": cannot open the key: " + ossl::errors());
    }
    key_.reset(key);
    cert_.reset(cert);
    chain_.reset(ca ? ca : sk_X509_new_null());
    if (!key_) throw Error(ErrorCode::unreadable, path + ": holds no private key");
    if (!cert_) throw Error(ErrorCode::unreadable, path + ": holds no certificate for its private key (key and certificate do not match)");
  }

  void open_token(const KeySpec& spec, const std::string& pin) {
    std::string uri = spec.key, module = spec.pkcs11_module;
    if (const size_t q = uri.find('?'); q != std::string::npos) {
      const std::string query = uri.substr(q + 1);
      uri.resize(q);
      size_t at = 0;
      while (at <= query.size()) {
        const size_t amp = std::min(query.find('&', at), query.size());
        const std::string kv = query.substr(at, amp - at);
        if (kv.rfind("module-path=", 0) == 0 && module.empty()) module = kv.substr(12);
        if (kv.rfind("pin-value=", 0) == 0 || kv.rfind("pin-source=", 0) == 0)
          throw Error(ErrorCode::unreadable, "the PIN does not go in the key URI (it would show in the process list): "
                                             "give it with --sign-pass-file or --sign-pass-env");
        at = amp + 1;
      }
    }
    ENGINE_load_builtin_engines();
    engine_.engine = ENGINE_by_id("pkcs11");
    if (!engine_.engine)
      throw Error(ErrorCode::unreadable, "OpenSSL's PKCS#11 engine cannot be loaded (Debian package libengine-pkcs11-openssl): " + ossl::errors());
    if (!module.empty() && !ENGINE_ctrl_cmd_string(engine_.engine, "MODULE_PATH", module.c_str(), 0))
      throw Error(ErrorCode::unreadable, "PKCS#11 module " + module + ": " + ossl::errors());
    if (!ENGINE_init(engine_.engine))
      throw Error(ErrorCode::unreadable, "cannot start the PKCS#11 module " + (module.empty() ? std::string("(p11-kit proxy)") : module) + ": " + ossl::errors());
    engine_.initialised = true;
    if (!pin.empty() && !ENGINE_ctrl_cmd_string(engine_.engine, "PIN", pin.c_str(), 0))
      throw Error(ErrorCode::unreadable, "the PKCS#11 engine refuses the PIN: " + ossl::errors());
    key_.reset(ENGINE_load_private_key(engine_.engine, uri.c_str(), const_cast<UI_METHOD*>(UI_null()), nullptr));
    if (!key_)
      throw Error(ErrorCode::unreadable, "no private key at " + uri +
                                             " (is the token plugged in, the PIN right, the object name right?): " + ossl::errors());
    if (!spec.cert_file.empty()) {
      ossl::Certs certs = read_pem_certs(spec.cert_file);
      cert_.reset(sk_X509_shift(certs.get()));
      chain_ = std::move(certs);
    } else {
      struct {
        const char* id;
        X509* cert;
      } params{uri.c_str(), nullptr};
      ENGINE_ctrl_cmd(engine_.engine, "LOAD_CERT_CTRL", 0, &params, nullptr, 0);
      cert_.reset(params.cert);
      chain_.reset(sk_X509_new_null());
      if (!cert_)
        throw Error(ErrorCode::unreadable, "no certificate at " + uri + " on the token; give it with --sign-cert FILE: " + ossl::errors());
    }
    ERR_clear_error();
  }

  void check(const KeySpec& spec, long long now) {
    if (!spec.chain_file.empty()) {
      ossl::Certs more = read_pem_certs(spec.chain_file);
      while (X509* c = sk_X509_shift(more.get())) sk_X509_push(chain_.get(), c);
    }
    // The signer's own certificate is not part of its chain.
    for (int i = sk_X509_num(chain_.get()) - 1; i >= 0; --i)
      if (X509_cmp(sk_X509_value(chain_.get(), i), cert_.get()) == 0) X509_free(sk_X509_delete(chain_.get(), i));
    info_.subject = ossl::name_of(X509_get_subject_name(cert_.get()));
    info_.issuer = ossl::name_of(X509_get_issuer_name(cert_.get()));
    info_.serial = ossl::serial_of(cert_.get());
    info_.not_before = ossl::epoch_of(X509_get0_notBefore(cert_.get()));
    info_.not_after = ossl::epoch_of(X509_get0_notAfter(cert_.get()));
    if (X509_check_private_key(cert_.get(), key_.get()) != 1) {
      ERR_clear_error();
      throw Error(ErrorCode::unreadable, spec.key + ": the private key does not match the certificate of " + info_.subject);
    }
    if (now > info_.not_after)
      throw Error(ErrorCode::unreadable, "the certificate of " + info_.subject + " expired on " + pdfdate::readable(info_.not_after) +
                                             ": nothing signed (renew the certificate)");
    if (now < info_.not_before)
      throw Error(ErrorCode::unreadable, "the certificate of " + info_.subject + " is valid only from " +
                                             pdfdate::readable(info_.not_before) + ": nothing signed");
    const uint32_t ku = X509_get_key_usage(cert_.get());
    if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
      throw Error(ErrorCode::unreadable, "the certificate of " + info_.subject + " is not for signatures (key usage)");
    info_.chain_pem.push_back(ossl::pem_of(cert_.get()));
    for (int i = 0; i < sk_X509_num(chain_.get()); ++i) info_.chain_pem.push_back(ossl::pem_of(sk_X509_value(chain_.get(), i)));
    field_ = spec.field_name;
    if (field_.empty()) field_ = name_entry(X509_get_subject_name(cert_.get()), NID_organizationName);
    if (field_.empty()) field_ = name_entry(X509_get_subject_name(cert_.get()), NID_commonName);
    if (field_.empty()) field_ = "Signature";
    tsa_url_ = spec.tsa_url;
    // A token with a wrong PIN, or a key that cannot sign, fails here rather than on the first document.
    raw_signature("sohoa: key check");
    if (!tsa_url_.empty()) timestamp_token("sohoa: time-stamp authority check");  // unreachable: stop now, not per document
  }

  std::string sign_pdf(const std::string& pdf, long long signing_time) const override {
    size_t reserve = 8192 + (tsa_url_.empty() ? 0 : 8192);
    for (const std::string& pem : info_.chain_pem) reserve += pem.size();
    for (int attempt = 0; attempt < 2; ++attempt) {
      Revision rev = add_signature_revision(pdf, field_, signing_time, reserve);
      const size_t after = rev.contents_gt + 1;
      char br[64];
      const int n = std::snprintf(br, sizeof br, "[0 %zu %zu %zu]", rev.contents_lt, after, rev.bytes.size() - after);
      const size_t br_at = rev.bytes.rfind("/ByteRange [0 0 0 0]", rev.contents_lt) + 11;
      if (n < 0 || static_cast<size_t>(n) > 9 + 36) throw Error(ErrorCode::internal, "ByteRange does not fit");
      rev.bytes.replace(br_at, static_cast<size_t>(n), br, static_cast<size_t>(n));  // the rest stays spaces
      std::string signed_bytes;
      signed_bytes.reserve(rev.bytes.size());
      signed_bytes.append(rev.bytes, 0, rev.contents_lt).append(rev.bytes, after, std::string::npos);
      const std::string der = cms_signature(signed_bytes);
      if (der.size() > reserve) {
        reserve = der.size() + 1024;
        continue;
      }
      static const char* hex = "0123456789abcdef";
      for (size_t i = 0; i < der.size(); ++i) {
        rev.bytes[rev.contents_lt + 1 + 2 * i] = hex[static_cast<unsigned char>(der[i]) >> 4];
        rev.bytes[rev.contents_lt + 2 + 2 * i] = hex[static_cast<unsigned char>(der[i]) & 15];
      }
      return rev.bytes;
    }
    throw Error(ErrorCode::internal, "the signature does not fit the space reserved for it");
  }

  const SignerInfo& signer() const override { return info_; }
  const std::string& field_name() const override { return field_; }

 private:
  std::string raw_signature(const std::string& data) const {
    ossl::MdCtx md(EVP_MD_CTX_new());
    size_t len = 0;
    if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
      throw Error(ErrorCode::unreadable, "the key cannot sign: " + ossl::errors());
    std::string sig(len, '\0');
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
      throw Error(ErrorCode::unreadable, "the key cannot sign: " + ossl::errors());
    sig.resize(len);
    return sig;
  }

  /// Detached CMS SignedData over the bytes: content-type, message-digest and ESS
  /// signing-certificate-v2 signed attributes and no signing-time (PAdES baseline puts the claimed
  /// time in /M). OpenSSL's CMS_final always adds signing-time, so the attributes are signed here.
  std::string cms_signature(const std::string& data) const {
    const unsigned int flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY;
    ossl::Cms cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
    if (!cms) throw Error(ErrorCode::internal, "CMS: " + ossl::errors());
    CMS_SignerInfo* si = CMS_add1_signer(cms.get(), cert_.get(), key_.get(), EVP_sha256(), flags | CMS_CADES | CMS_NOSMIMECAP);
    if (!si) throw Error(ErrorCode::internal, "CMS signer: " + ossl::errors());
    for (int i = 0; i < sk_X509_num(chain_.get()); ++i) CMS_add1_cert(cms.get(), sk_X509_value(chain_.get(), i));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_Digest(data.data(), data.size(), digest, &digest_len, EVP_sha256(), nullptr);
    if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) ||
        !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest, static_cast<int>(digest_len)))
      throw Error(ErrorCode::internal, "CMS attributes: " + ossl::errors());
    // DER of the signed attributes as a SET OF (what RFC 5652 5.4 has signed).
    STACK_OF(X509_ATTRIBUTE)* attrs = sk_X509_ATTRIBUTE_new_null();
    for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i));
    unsigned char* der = nullptr;
    const int der_len = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(attrs), &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
    sk_X509_ATTRIBUTE_free(attrs);  // the attributes belong to the SignerInfo
    if (der_len <= 0) throw Error(ErrorCode::internal, "CMS attributes: " + ossl::errors());
    const std::string sig = raw_signature(std::string(reinterpret_cast<char*>(der), static_cast<size_t>(der_len)));
    OPENSSL_free(der);
    ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.data(), static_cast<int>(sig.size()));
    if (!tsa_url_.empty()) {
      const std::string token = timestamp_token(sig);
      if (!CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data(),
                                         static_cast<int>(token.size())))
        throw Error(ErrorCode::internal, "CMS time-stamp attribute: " + ossl::errors());
    }
    unsigned char* out = nullptr;
    const int out_len = i2d_CMS_ContentInfo(cms.get(), &out);
    if (out_len <= 0) throw Error(ErrorCode::internal, "CMS encoding: " + ossl::errors());
    std::string result(reinterpret_cast<char*>(out), static_cast<size_t>(out_len));
    OPENSSL_free(out);
    return result;
  }

  /// RFC 3161 time-stamp token over the signature value (PAdES B-T signature-time-stamp).
  std::string timestamp_token(const std::string& signature) const {
    unsigned char digest[32];
    EVP_Digest(signature.data(), signature.size(), digest, nullptr, EVP_sha256(), nullptr);
    TS_REQ* req = TS_REQ_new();
    TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
    X509_ALGOR* alg = X509_ALGOR_new();
    X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
    TS_MSG_IMPRINT_set_algo(imprint, alg);
    TS_MSG_IMPRINT_set_msg(imprint, digest, sizeof digest);
    TS_REQ_set_version(req, 1);
    TS_REQ_set_msg_imprint(req, imprint);
    TS_REQ_set_cert_req(req, 1);
    unsigned char nonce_bytes[8];
    RAND_bytes(nonce_bytes, sizeof nonce_bytes);
    nonce_bytes[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr);
    ASN1_INTEGER* nonce = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    TS_REQ_set_nonce(req, nonce);
    ASN1_INTEGER_free(nonce);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(imprint);
    unsigned char* req_der = nullptr;
    const int req_len = i2d_TS_REQ(req, &req_der);
    std::string result;
    std::string problem;
    char *host = nullptr, *port = nullptr, *path = nullptr;
    int use_ssl = 0;
    if (!OSSL_HTTP_parse_url(tsa_url_.c_str(), &use_ssl, nullptr, &host, &port, nullptr, &path, nullptr, nullptr)) {
      problem = "not a URL";
    } else if (use_ssl) {
      problem = "only http:// time-stamp authorities are supported (the token is signed, TLS adds nothing)";
    } else {
      ossl::Bio req_bio = ossl::mem_bio(req_der, static_cast<size_t>(req_len));
      BIO* resp_bio = OSSL_HTTP_transfer(nullptr, host, port, path, 0, nullptr, nullptr, nullptr, nullptr, nullptr,
                                         nullptr, 0, nullptr, "application/timestamp-query", req_bio.get(),
                                         "application/timestamp-reply", 1, 1u << 20, 30, 0);
      TS_RESP* resp = resp_bio ? d2i_TS_RESP_bio(resp_bio, nullptr) : nullptr;
      BIO_free_all(resp_bio);
      if (!resp) {
        problem = "no answer: " + ossl::errors();
      } else {
        TS_VERIFY_CTX* ctx = TS_REQ_to_TS_VERIFY_CTX(req, nullptr);
        // The signature of the token is the receiver's to check against the TSA it trusts;
        // here: granted, and the answer to this very request (imprint and nonce).
        TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
        if (TS_RESP_verify_response(ctx, resp) != 1) {
          problem = "the answer does not match the request or was refused: " + ossl::errors();
        } else {
          unsigned char* tok = nullptr;
          const int tok_len = i2d_PKCS7(TS_RESP_get_token(resp), &tok);
          if (tok_len > 0) result.assign(reinterpret_cast<char*>(tok), static_cast<size_t>(tok_len));
          OPENSSL_free(tok);
        }
        TS_VERIFY_CTX_free(ctx);
        TS_RESP_free(resp);
      }
    }
    OPENSSL_free(host);
    OPENSSL_free(port);
    OPENSSL_free(path);
    OPENSSL_free(req_der);
    TS_REQ_free(req);
    if (result.empty()) throw Error(ErrorCode::unreadable, "time-stamp authority " + tsa_url_ + ": " + problem);
    return result;
  }

  EngineHolder engine_;  // first: outlives the key it made
  ossl::Key key_;
  ossl::Cert cert_;
  ossl::Certs chain_;
  SignerInfo info_;
  std::string field_, tsa_url_;
};

}  // namespace

std::string read_secret(const KeySpec& spec) {
  if (!spec.passphrase_file.empty()) {
    std::ifstream in(spec.passphrase_file, std::ios::binary);
    if (!in) throw Error(ErrorCode::unreadable, "cannot read the passphrase file " + spec.passphrase_file);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (!spec.passphrase_env.empty()) {
    const char* v = std::getenv(spec.passphrase_env.c_str());
    if (!v) throw Error(ErrorCode::unreadable, "the environment variable " + spec.passphrase_env + " (passphrase) is not set");
    return v;
  }
  return "";
}

std::unique_ptr<Signer> Signer::open(const KeySpec& spec, long long now) {
  auto s = std::make_unique<OfficeSigner>();
  const std::string secret = read_secret(spec);
  if (spec.key.rfind("pkcs11:", 0) == 0) s->open_token(spec, secret);
  else s->open_p12(spec.key, secret);
  s->check(spec, now);
  return s;
}

std::vector<std::string> records_of_batch(const stdfs::path& out_root) {
  const auto batch = nlohmann::json::parse(fs::read_text_or_empty(out_root / "batch.json"), nullptr, false);
  if (batch.is_discarded()) throw Error(ErrorCode::unreadable, (out_root / "batch.json").string() + ": missing or not JSON");
  std::vector<std::string> ids;
  for (const auto& item : batch.value("items", nlohmann::json::array()))
    for (const auto& r : item.value("records", nlohmann::json::array()))
      if (r.is_string()) ids.push_back(r.get<std::string>());
  return ids;
}

SignSummary sign_records(const stdfs::path& out_root, const std::vector<std::string>& record_ids, const Signer& signer,
                         long long signing_time) {
  SignSummary s;
  // The lock `sohoa run` holds while it writes OUT: never sign under a running batch.
  struct Lock {
    int fd = -1;
    ~Lock() {
      if (fd >= 0) ::close(fd);
    }
  } lock;
  lock.fd = ::open((out_root / ".sohoa.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd < 0 || ::flock(lock.fd, LOCK_EX | LOCK_NB) != 0)
    throw Error(ErrorCode::busy, "another sohoa run is writing to " + out_root.string() + "; sign when it is done");
  if (signing_time > signer.signer().not_after)  // a long batch that outlived the certificate
    throw Error(ErrorCode::unreadable, "the certificate of " + signer.signer().subject + " expired on " +
                                           pdfdate::readable(signer.signer().not_after) + ": nothing signed");
  const auto t0 = std::chrono::steady_clock::now();
  for (const std::string& id : record_ids) {
    const stdfs::path pdf_path = out_root / "records" / id / "document.pdf";
    if (!stdfs::exists(pdf_path)) {
      ++s.without_pdf;
      continue;
    }
    try {
      const auto raw = fs::read_file(pdf_path, 4ull << 30);
      const std::string pdf(raw.begin(), raw.end());
      if (pdf.find("/ByteRange") != std::string::npos && !find_signatures(pdf).empty()) {
        ++s.already_signed;
        continue;
      }
      fs::write_atomic(pdf_path, signer.sign_pdf(pdf, signing_time));
      ++s.signed_now;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::output_io) throw;
      s.failed.push_back("records/" + id + "/document.pdf: " + e.what());
    }
  }
  s.ms_total = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace sohoa::sign
