#include "sign/signature.h"

#include <openssl/ts.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/pdf_date.h"
#include "sign/ossl.h"

namespace sohoa::sign {
namespace stdfs = std::filesystem;

namespace {

/// Internals of one signature, shared by find_signatures and check_pdf.
struct Raw {
  Found found;
  std::vector<long long> range;
  std::string contents;
  ossl::Cms cms;
  ossl::Certs certs;          // every certificate in the CMS
  X509* signer_cert = nullptr;  // one of certs
};

using Token = ossl::Ptr<PKCS7, PKCS7_free>;

/// The signature-time-stamp token (RFC 3161) of the signer, when there is one.
Token timestamp_token(CMS_SignerInfo* si) {
  const int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (idx < 0) return nullptr;
  ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0);
  if (!t || t->type != V_ASN1_SEQUENCE) return nullptr;
  const unsigned char* p = t->value.sequence->data;
  return Token(d2i_PKCS7(nullptr, &p, t->value.sequence->length));
}

long long timestamp_time(CMS_SignerInfo* si) {
  Token token = timestamp_token(si);
  if (!token) return 0;
  long long when = 0;
  if (TS_TST_INFO* info = PKCS7_to_TS_TST_INFO(token.get())) {
    when = ossl::epoch_of(TS_TST_INFO_get_time(info));
    TS_TST_INFO_free(info);
  }
  return when;
}

void read_cms(Raw& r) {
  ossl::Bio b = ossl::mem_bio(r.contents.data(), r.contents.size());
  r.cms.reset(d2i_CMS_bio(b.get(), nullptr));
  if (!r.cms || OBJ_obj2nid(CMS_get0_type(r.cms.get())) != NID_pkcs7_signed) {
    ERR_clear_error();
    r.found.damage = "the signature's /Contents is not a CMS SignedData (damaged signature)";
    return;
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(r.cms.get());
  if (sk_CMS_SignerInfo_num(infos) != 1) {
    r.found.damage = "the CMS has " + std::to_string(sk_CMS_SignerInfo_num(infos)) + " signers, PAdES wants one";
    return;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  r.certs.reset(CMS_get1_certs(r.cms.get()));
  if (!r.certs) r.certs.reset(sk_X509_new_null());
  for (int i = 0; i < sk_X509_num(r.certs.get()); ++i)
    if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(r.certs.get(), i)) == 0) r.signer_cert = sk_X509_value(r.certs.get(), i);
  if (r.signer_cert) {
    SignerInfo& s = r.found.signer;
    s.subject = ossl::name_of(X509_get_subject_name(r.signer_cert));
    s.issuer = ossl::name_of(X509_get_issuer_name(r.signer_cert));
    s.serial = ossl::serial_of(r.signer_cert);
    s.not_before = ossl::epoch_of(X509_get0_notBefore(r.signer_cert));
    s.not_after = ossl::epoch_of(X509_get0_notAfter(r.signer_cert));
    // The chain as far as the CMS carries it: each next one the issuer of the one before.
    X509* at = r.signer_cert;
    for (int depth = 0; at && depth < 16; ++depth) {
      s.chain_pem.push_back(ossl::pem_of(at));
      if (X509_NAME_cmp(X509_get_subject_name(at), X509_get_issuer_name(at)) == 0) break;
      X509* next = nullptr;
      for (int i = 0; i < sk_X509_num(r.certs.get()); ++i) {
        X509* c = sk_X509_value(r.certs.get(), i);
        if (c != at && X509_check_issued(c, at) == X509_V_OK) next = c;
      }
      at = next;
    }
  }
  if (long long ts = timestamp_time(si)) {
    r.found.signing_time = ts;
    r.found.timestamped = true;
  } else if (r.found.signing_time == 0) {
    const int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (idx >= 0)
      if (ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
          t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
        r.found.signing_time = ossl::epoch_of(reinterpret_cast<ASN1_TIME*>(t->value.utctime));
  }
  ERR_clear_error();
}

void collect(QPDFObjectHandle field, const std::string& parent, const std::string& ft_inherited, int depth,
             const std::string& pdf, std::vector<Raw>& out) {
  if (depth > 16 || !field.isDictionary()) return;
  std::string name = parent;
  if (field.getKey("/T").isString()) name = (parent.empty() ? "" : parent + ".") + field.getKey("/T").getUTF8Value();
  const std::string ft = field.getKey("/FT").isName() ? field.getKey("/FT").getName() : ft_inherited;
  QPDFObjectHandle kids = field.getKey("/Kids");
  if (kids.isArray())
    for (int i = 0; i < kids.getArrayNItems(); ++i) collect(kids.getArrayItem(i), name, ft, depth + 1, pdf, out);
  QPDFObjectHandle v = field.getKey("/V");
  if (ft != "/Sig" || !v.isDictionary()) return;
  Raw r;
  r.found.field = name;
  if (v.getKey("/SubFilter").isName()) r.found.sub_filter = v.getKey("/SubFilter").getName().substr(1);
  if (v.getKey("/M").isString()) r.found.signing_time = pdfdate::parse(v.getKey("/M").getUTF8Value()).value_or(0);
  QPDFObjectHandle br = v.getKey("/ByteRange");
  if (br.isArray())
    for (int i = 0; i < br.getArrayNItems(); ++i)
      if (br.getArrayItem(i).isInteger()) r.range.push_back(br.getArrayItem(i).getIntValue());
  if (v.getKey("/Contents").isString()) r.contents = v.getKey("/Contents").getStringValue();
  const long long size = static_cast<long long>(pdf.size());
  const auto& g = r.range;
  if (g.size() != 4 || g[0] != 0 || g[1] <= 0 || g[2] <= g[1] || g[3] < 0 || g[2] + g[3] > size ||
      pdf[static_cast<size_t>(g[1])] != '<' || pdf[static_cast<size_t>(g[2] - 1)] != '>') {
    r.found.damage = "its ByteRange does not fit the file (the file was cut, rewritten or damaged after signing)";
  } else {
    r.found.covers_whole_file = g[2] + g[3] == size;
    if (r.contents.empty()) r.found.damage = "it has no /Contents";
    else read_cms(r);
  }
  out.push_back(std::move(r));
}

std::vector<Raw> find_raw(const std::string& pdf) {
  std::vector<Raw> out;
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("document.pdf", pdf.data(), pdf.size());
    QPDFObjectHandle fields = q.getRoot().getKey("/AcroForm").getKey("/Fields");
    if (fields.isArray())
      for (int i = 0; i < fields.getArrayNItems(); ++i) collect(fields.getArrayItem(i), "", "", 0, pdf, out);
  } catch (const std::exception&) {
    return {};  // not a PDF qpdf can read: the verify of pages says so
  }
  std::stable_sort(out.begin(), out.end(), [](const Raw& a, const Raw& b) {
    const long long ea = a.range.size() == 4 ? a.range[2] + a.range[3] : 0;
    const long long eb = b.range.size() == 4 ? b.range[2] + b.range[3] : 0;
    return ea < eb;
  });
  return out;
}

class TrustImpl final : public Trust {
 public:
  int anchors() const override { return sk_X509_num(anchors_.get()); }
  ossl::Certs anchors_{sk_X509_new_null()};
  std::vector<ossl::Crl> crls_;
};

/// The time-stamp token is over this very signature value, and with trust: signed by a TSA whose
/// certificate chains to an anchor. "" when it holds.
std::string check_timestamp(CMS_SignerInfo* si, const TrustImpl* trust) {
  Token token = timestamp_token(si);
  if (!token) return "its time-stamp token cannot be read";
  TS_VERIFY_CTX* ctx = TS_VERIFY_CTX_new();
  const ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(si);
  TS_VERIFY_CTX_set_data(ctx, BIO_new_mem_buf(ASN1_STRING_get0_data(value), ASN1_STRING_length(value)));
  int flags = TS_VFY_VERSION | TS_VFY_DATA;
  if (trust) {
    X509_STORE* store = X509_STORE_new();
    for (int i = 0; i < sk_X509_num(trust->anchors_.get()); ++i) X509_STORE_add_cert(store, sk_X509_value(trust->anchors_.get(), i));
    X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store), X509_V_FLAG_PARTIAL_CHAIN);
    TS_VERIFY_CTX_set_store(ctx, store);  // the context frees it
    flags |= TS_VFY_SIGNATURE;
  }
  TS_VERIFY_CTX_set_flags(ctx, flags);
  const bool ok = TS_RESP_verify_token(ctx, token.get()) == 1;
  TS_VERIFY_CTX_free(ctx);
  std::string why = ok ? "" : ossl::errors();
  ERR_clear_error();
  return ok ? "" : "its time-stamp token does not hold (" + why + "); the signing time is only claimed";
}

/// Chain of the signer's certificate to an anchor at the signing time, then the CRLs.
void check_trust(const Raw& r, const TrustImpl& trust, std::vector<std::string>& problems) {
  const std::string who = r.found.signer.subject;
  ossl::Store store(X509_STORE_new());
  for (int i = 0; i < sk_X509_num(trust.anchors_.get()); ++i) X509_STORE_add_cert(store.get(), sk_X509_value(trust.anchors_.get(), i));
  ossl::StoreCtx ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), r.signer_cert, r.certs.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  const long long at = r.found.signing_time ? r.found.signing_time : static_cast<long long>(std::time(nullptr));
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at));
  // An office may trust a sub-CA (the province's) without its root.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    X509* cur = X509_STORE_CTX_get_current_cert(ctx.get());
    const std::string cur_name = cur ? ossl::name_of(X509_get_subject_name(cur)) : who;
    switch (err) {
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        problems.push_back("unknown signer: " + who + " (issued by " + r.found.signer.issuer +
                           ") does not chain to a certificate of the trust folder");
        break;
      case X509_V_ERR_CERT_HAS_EXPIRED:
        problems.push_back("certificate expired: " + cur_name + " was valid until " +
                           pdfdate::readable(cur ? ossl::epoch_of(X509_get0_notAfter(cur)) : 0) + ", signed " + pdfdate::readable(at));
        break;
      case X509_V_ERR_CERT_NOT_YET_VALID:
        problems.push_back("certificate not yet valid: " + cur_name + " is valid from " +
                           pdfdate::readable(cur ? ossl::epoch_of(X509_get0_notBefore(cur)) : 0) + ", signed " + pdfdate::readable(at));
        break;
      default:
        problems.push_back("certificate of " + cur_name + " not accepted: " + X509_verify_cert_error_string(err));
    }
    ERR_clear_error();
    return;
  }
  // Revocation: OpenSSL's own CRL check wants a CRL current at the signing time, which a CRL
  // published after a revocation never is; a listed certificate is what a receiver asks about.
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i + 1 < sk_X509_num(chain); ++i) {
    X509* cert = sk_X509_value(chain, i);
    X509* issuer = sk_X509_value(chain, i + 1);
    for (const ossl::Crl& crl : trust.crls_) {
      if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0) continue;
      if (X509_CRL_verify(crl.get(), X509_get0_pubkey(issuer)) != 1) continue;
      X509_REVOKED* revoked = nullptr;
      if (X509_CRL_get0_by_cert(crl.get(), &revoked, cert) == 1) {
        const long long when = ossl::epoch_of(X509_REVOKED_get0_revocationDate(revoked));
        problems.push_back("certificate revoked: " + ossl::name_of(X509_get_subject_name(cert)) + " (serial " +
                           ossl::serial_of(cert) + ") is listed in the CRL of " +
                           ossl::name_of(X509_get_subject_name(issuer)) + ", revoked " + pdfdate::readable(when) +
                           (when <= at ? ", before signing" : ", after the claimed signing time"));
      }
    }
  }
  ERR_clear_error();
}

}  // namespace

std::vector<Found> find_signatures(const std::string& pdf) {
  std::vector<Found> out;
  for (Raw& r : find_raw(pdf)) out.push_back(std::move(r.found));
  return out;
}

std::shared_ptr<const Trust> Trust::load(const stdfs::path& dir, const std::vector<stdfs::path>& crl_files) {
  auto t = std::make_shared<TrustImpl>();
  std::error_code ec;
  std::vector<stdfs::path> files;
  for (const auto& e : stdfs::directory_iterator(dir, ec))
    if (e.is_regular_file()) files.push_back(e.path());
  if (ec) throw Error(ErrorCode::unreadable, dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const std::string bytes = fs::read_text_or_empty(f);
    ossl::Bio b = ossl::mem_bio(bytes.data(), bytes.size());
    while (X509* c = PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr)) sk_X509_push(t->anchors_.get(), c);
    ERR_clear_error();
  }
  if (t->anchors() == 0) throw Error(ErrorCode::unreadable, dir.string() + ": no PEM certificate in it to trust");
  for (const auto& f : crl_files) {
    const auto bytes = fs::read_file(f, 256u << 20);
    ossl::Bio b = ossl::mem_bio(bytes.data(), bytes.size());
    ossl::Crl crl(PEM_read_bio_X509_CRL(b.get(), nullptr, nullptr, nullptr));
    if (!crl) {
      const unsigned char* p = bytes.data();
      crl.reset(d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size())));
    }
    ERR_clear_error();
    if (!crl) throw Error(ErrorCode::unreadable, f.string() + ": not a CRL (PEM or DER)");
    t->crls_.push_back(std::move(crl));
  }
  return t;
}

std::vector<Checked> check_pdf(const std::string& pdf, const Trust* trust) {
  std::vector<Raw> raws = find_raw(pdf);
  std::vector<Checked> out;
  const bool last_covers_whole = !raws.empty() && raws.back().found.covers_whole_file;
  for (Raw& r : raws) {
    Checked c;
    std::vector<std::string>& problems = c.problems;
    if (!r.found.damage.empty()) {
      problems.push_back(r.found.damage);
    } else if (!r.signer_cert) {
      problems.push_back("the signer's certificate is not in the signature");
    } else {
      CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(r.cms.get()), 0);
      const auto& g = r.range;
      std::string data;
      data.reserve(static_cast<size_t>(g[1] + g[3]));
      data.append(pdf, 0, static_cast<size_t>(g[1])).append(pdf, static_cast<size_t>(g[2]), static_cast<size_t>(g[3]));
      X509_ALGOR* digest_alg = nullptr;
      CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, nullptr);
      const EVP_MD* md = digest_alg ? EVP_get_digestbyobj(digest_alg->algorithm) : nullptr;
      const auto* signed_digest = static_cast<ASN1_OCTET_STRING*>(
          CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
      if (!md) {
        problems.push_back("unknown digest algorithm in the signature");
      } else if (signed_digest) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr);
        if (static_cast<int>(len) != ASN1_STRING_length(signed_digest) ||
            std::memcmp(digest, ASN1_STRING_get0_data(signed_digest), len) != 0)
          problems.push_back("modified after signing: the signed bytes no longer match the signature");
        CMS_SignerInfo_set1_signer_cert(si, r.signer_cert);
        if (CMS_SignerInfo_verify(si) != 1)
          problems.push_back("the signature value does not verify with the signer's certificate (damaged or forged)");
      } else {
        // No signed attributes: the signature is over the bytes themselves.
        ossl::Bio content = ossl::mem_bio(data.data(), data.size());
        if (CMS_verify(r.cms.get(), nullptr, nullptr, content.get(), nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1)
          problems.push_back("modified after signing, or the signature is damaged");
      }
      ERR_clear_error();
      if (!r.found.covers_whole_file && !last_covers_whole)
        problems.push_back("modified after signing: " + std::to_string(pdf.size() - static_cast<size_t>(g[2] + g[3])) +
                           " bytes were added after the signed part");
      const auto* trust_impl = static_cast<const TrustImpl*>(trust);
      if (problems.empty() && r.found.timestamped) {
        if (std::string p = check_timestamp(si, trust_impl); !p.empty()) problems.push_back(p);
      }
      if (trust && problems.empty()) check_trust(r, *trust_impl, problems);
    }
    c.found = std::move(r.found);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace sohoa::sign
