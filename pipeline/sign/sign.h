// The sign stage: the office's PAdES signature on each document.pdf, added as an incremental
// update so the PDF/A-2b file underneath stays byte for byte what output wrote.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sohoa::sign {

/// Where the office's key is and how to open it. Secrets never come from the command line.
struct KeySpec {
  std::string key;               // a PKCS#12 file, or a PKCS#11 URI "pkcs11:token=...;object=..."
  std::string passphrase_file;   // first line is the passphrase (PKCS#12) or PIN (token)
  std::string passphrase_env;    // else the name of an environment variable holding it
  std::string cert_file;         // token only: the certificate as PEM/DER when it is not on the token
  std::string chain_file;        // more CA certificates (PEM) to put in each signature
  std::string field_name;        // signature field; default: the certificate's O, else CN
  std::string tsa_url;           // RFC 3161 time-stamp authority: PAdES B-T instead of B-B
  std::string pkcs11_module;     // token: the PKCS#11 module; default p11-kit's proxy (every module registered)
};

/// What a signature says about its signer, as recorded in packages.
struct SignerInfo {
  std::string subject, issuer, serial;  // serial: upper-case hex
  long long not_before = 0, not_after = 0;
  std::vector<std::string> chain_pem;  // the signer's certificate first, then its CAs
};

/// An opened key: checked once before any document is touched, so a bad key stops the batch
/// before its first page instead of leaving some documents signed and others not.
class Signer {
 public:
  /// Opens the key and checks it: passphrase, certificate present and matching the key, the
  /// certificate valid at `now` and allowed to sign. Throws sohoa::Error saying what is wrong.
  static std::unique_ptr<Signer> open(const KeySpec& spec, long long now);
  virtual ~Signer() = default;

  /// The PDF with one more revision holding the signature (detached CMS over the ByteRange,
  /// signing-certificate-v2, /M = signing_time; a time-stamp token when a TSA is configured).
  /// Throws sohoa::Error; the input is never modified.
  virtual std::string sign_pdf(const std::string& pdf, long long signing_time) const = 0;
  virtual const SignerInfo& signer() const = 0;
  virtual const std::string& field_name() const = 0;
};

struct SignSummary {
  int signed_now = 0, already_signed = 0, without_pdf = 0;
  double ms_total = 0;  // time spent signing (reading, hashing, signing, writing)
  std::vector<std::string> failed;  // "records/<id>: reason"
};

/// Signs document.pdf of each listed record under OUT/records/ that carries no signature yet;
/// each file is replaced atomically (write then rename), so it is either signed whole or untouched.
SignSummary sign_records(const std::filesystem::path& out_root, const std::vector<std::string>& record_ids,
                         const Signer& signer, long long signing_time);

/// Record ids of OUT/batch.json.
std::vector<std::string> records_of_batch(const std::filesystem::path& out_root);

/// The passphrase or PIN named by the spec ("" when neither a file nor a variable is given).
std::string read_secret(const KeySpec& spec);

}  // namespace sohoa::sign
