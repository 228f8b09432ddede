// Forced into pdf.cc, which the fuzz build compiles as C++17: clang (14 and 16) in C++20 mode
// rejects qpdf 11's JSON.hh (a constexpr ~vector of an incomplete type). pdf.cc only sees
// std::span in declarations it never calls (sniff.h), so a bare stand-in is enough.
#pragma once
#include <cstddef>
#if __cplusplus < 202002L
namespace std {
template <class T, size_t Extent = size_t(-1)>
class span {
 public:
  T* data_ = nullptr;
  size_t size_ = 0;
};
}  // namespace std
#endif
