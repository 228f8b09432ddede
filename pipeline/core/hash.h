#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace sohoa {

/// Lower-case hex SHA-256 of a byte range.
std::string sha256_hex(std::span<const uint8_t> bytes);

}  // namespace sohoa
