// The one error type of sohoa: a short code a batch can act on, and a reason a clerk can read.
#pragma once
#include <stdexcept>
#include <string>

namespace sohoa {

enum class ErrorCode {
  unreadable,      // cannot be opened or decoded at all
  unsupported,     // a format sohoa does not read
  damaged,         // recognisable format, broken content
  encrypted,       // password-protected PDF
  ocr_failed,
  output_io,       // cannot write OUT
  resource_limit,  // too many pages, pixels, members, bytes
  busy,            // another run holds the output folder
  internal,
};

const char* to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& reason) : std::runtime_error(reason), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace sohoa
