// RAII holders for the OpenSSL objects of the sign stage; nothing raw crosses a file boundary.
#pragma once
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <ctime>
#include <memory>
#include <string>

namespace sohoa::sign::ossl {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)>
using Ptr = std::unique_ptr<T, Deleter<T, Free>>;

inline void bio_free(BIO* b) { BIO_free_all(b); }
inline void certs_free(STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }
inline void crls_free(STACK_OF(X509_CRL)* s) { sk_X509_CRL_pop_free(s, X509_CRL_free); }
inline void ossl_free(unsigned char* p) { OPENSSL_free(p); }

using Bio = Ptr<BIO, bio_free>;
using Cert = Ptr<X509, X509_free>;
using Certs = Ptr<STACK_OF(X509), certs_free>;
using Crl = Ptr<X509_CRL, X509_CRL_free>;
using Key = Ptr<EVP_PKEY, EVP_PKEY_free>;
using Cms = Ptr<CMS_ContentInfo, CMS_ContentInfo_free>;
using P12 = Ptr<PKCS12, PKCS12_free>;
using Store = Ptr<X509_STORE, X509_STORE_free>;
using StoreCtx = Ptr<X509_STORE_CTX, X509_STORE_CTX_free>;
using MdCtx = Ptr<EVP_MD_CTX, EVP_MD_CTX_free>;
using Bytes = Ptr<unsigned char, ossl_free>;

/// A read-only memory BIO over bytes that outlive it.
inline Bio mem_bio(const void* data, size_t size) { return Bio(BIO_new_mem_buf(data, static_cast<int>(size))); }

/// The OpenSSL error queue as one line (emptied), for messages a clerk can pass on.
inline std::string errors() {
  std::string s;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!s.empty()) s += "; ";
    s += buf;
  }
  return s;
}

/// "CN=..., O=..., C=VN" (RFC 2253 order, UTF-8).
inline std::string name_of(const X509_NAME* name) {
  Bio b(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(b.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* p = nullptr;
  const long n = BIO_get_mem_data(b.get(), &p);
  return std::string(p, static_cast<size_t>(n));
}

/// Upper-case hex of the certificate's serial number.
inline std::string serial_of(const X509* cert) {
  const ASN1_INTEGER* s = X509_get0_serialNumber(cert);
  BIGNUM* bn = ASN1_INTEGER_to_BN(s, nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

/// Seconds since the epoch of an ASN1_TIME (0 when it cannot be read).
inline long long epoch_of(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<long long>(timegm(&tm));
}

inline std::string pem_of(X509* cert) {
  Bio b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(b.get(), cert);
  char* p = nullptr;
  const long n = BIO_get_mem_data(b.get(), &p);
  return std::string(p, static_cast<size_t>(n));
}

}  // namespace sohoa::sign::ossl
