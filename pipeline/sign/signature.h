// Reading and checking the PAdES/CMS signatures of a PDF (ours or anyone's).
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sign/sign.h"

namespace sohoa::sign {

/// One signature of a PDF as found in its signature dictionary and CMS, not yet judged.
struct Found {
  std::string field;             // the signature field's name
  std::string sub_filter;        // ETSI.CAdES.detached, adbe.pkcs7.detached
  SignerInfo signer;             // empty subject when the CMS names no certificate
  long long signing_time = 0;    // time-stamp token's time when there is one, else /M, else signingTime
  bool timestamped = false;      // B-T: the time comes from a time-stamp token
  bool covers_whole_file = false;
  std::string damage;            // non-empty when the dictionary or CMS cannot be read
};

/// Signatures of the PDF, in file order; empty when it has none (or is not a PDF qpdf can read).
std::vector<Found> find_signatures(const std::string& pdf);

/// Trust anchors (every certificate in the PEM files of a folder) and CRLs, for check_pdf.
class Trust {
 public:
  /// Throws sohoa::Error when the folder has no certificate or a CRL cannot be read.
  static std::shared_ptr<const Trust> load(const std::filesystem::path& dir,
                                           const std::vector<std::filesystem::path>& crl_files);
  virtual ~Trust() = default;
  virtual int anchors() const = 0;
};

struct Checked {
  Found found;
  std::vector<std::string> problems;  // what a receiver must know; empty: the signature holds
};

/// Each signature checked: the signed bytes hash to the signed digest, the signature value
/// matches the certificate's key, no bytes were added after the last signature, and with trust:
/// the certificate chains to an anchor and every certificate of the chain was valid at the
/// signing time and is not revoked by a given CRL.
std::vector<Checked> check_pdf(const std::string& pdf, const Trust* trust);

}  // namespace sohoa::sign
