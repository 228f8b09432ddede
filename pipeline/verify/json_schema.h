// The subset of JSON Schema (2020-12) that docs/record.schema.json uses: type, enum, required,
// properties, items, minItems, maxItems, minLength, pattern, minimum, maximum.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sohoa::verify {

/// Every violation as "<json pointer>: <what>"; empty when valid.
std::vector<std::string> validate(const nlohmann::json& schema, const nlohmann::json& value);

/// docs/record.schema.json, read once (path compiled in as SOHOA_RECORD_SCHEMA).
const nlohmann::json& record_schema();

}  // namespace sohoa::verify
