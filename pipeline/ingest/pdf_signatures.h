// Digital signatures of an incoming PDF, read with qpdf (the signature dictionaries) and OpenSSL
// CMS (the signed bytes and the signer's certificate). They prove where the original came from.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/types.h"

namespace sohoa::ingest {

/// Certificates (PEM or DER) and CRLs found in a `--trust` folder.
class TrustAnchors {
 public:
  /// Reads every regular file of dir; throws Error(unreadable) when dir cannot be listed or holds
  /// no certificate at all.
  static std::shared_ptr<const TrustAnchors> load(const std::filesystem::path& dir);
  ~TrustAnchors();
  struct Impl;
  const Impl& impl() const { return *impl_; }
  int certificates() const;
  int crls() const;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Every signature field of the PDF that holds a value, in the order of the file's AcroForm.
/// trust may be null: the certificate is then judged without anchors (never "valid").
/// now_epoch: the moment certificates are judged at (seconds since 1970, UTC).
/// Never throws for a damaged signature: it comes back with `error` set.
std::vector<DigitalSignature> read_pdf_signatures(std::span<const uint8_t> pdf, const TrustAnchors* trust,
                                                  long long now_epoch);

}  // namespace sohoa::ingest
