// Escaping for the XML sohoa writes (ALTO, METS, PREMIS, XMP, descriptive metadata).
#pragma once
#include <string>
#include <string_view>

namespace sohoa::output {

/// Text or attribute value with &, <, >, " and ' escaped; control characters XML 1.0 forbids dropped.
inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace sohoa::output
