// Whether a person must check a record before the archive takes it, and why. Runs after
// classification and extraction; reads the document-type catalogue for what a type must have
// and how each field is validated.
//
// Reason codes (record.json review_reasons[].code):
//   no_text               nothing was read from the document
//   page_error            a page could not be read
//   text_unreadable       a page's OCR confidence is too low for its text to be trusted
//   type_unknown          the type is not one the archive knows (khac)
//   type_unidentified     no title, number abbreviation or layout cue names the type
//   type_disagreement     the title/number rules and the model name different types (unless
//                         the rule is sure and the text is unfamiliar to the model's type)
//   type_low_confidence   the classifier's own confidence is low
//   field_missing         a field the catalogue requires for this type was not found
//   field_unreadable      a printed slot ("Số: __/CT-UBND") whose handwritten part OCR could not read
//   field_invalid         a value fails its validator (shape, real date, province code …)
//   field_low_confidence  the words a value was read from were read with low OCR confidence
//   fields_disagree       two fields contradict each other (birth after issue, ID vs birth year,
//                         the number's abbreviation vs the type or the issuer)
//   sources_disagree      two readings of one value disagree (QR code and printed text)
//   signature_invalid     a digital signature of the input does not verify (its signed bytes
//                         were changed, or it could not be read)
//   signature_untrusted   a signer's certificate is not valid against the --trust anchors
//                         (expired, unknown issuer, revoked); not asked without anchors
//   pages_regrouped       a clerk moved pages between documents at the review desk; the type
//                         and metadata are the ones read before, for a person to check again
#pragma once
#include <vector>

#include "core/types.h"

namespace sohoa::review {

/// Mean word confidence (0-100) under which the words a value was read from are not trusted.
constexpr double kLowWordConfidence = 75;
/// A date or number is wrong by one digit: the least sure of its words decides, and the bar is
/// higher than for words, which the lexicon can still check.
constexpr double kLowDigitConfidence = 85;
/// Mean OCR confidence (0-100) of a page under which its text is not trusted.
constexpr double kUnreadablePage = 88;
/// The model's familiarity with its own pick (classify::familiarity) under which its vote
/// against a sure rule (an exact title, a telling layout) is no doubt: it picked the least
/// unlikely of types whose training texts the page is not like.
constexpr double kFamiliarVote = 0.5;

/// Fills record.review, record.review_reasons, record.confidence and every metadata value's
/// confidence.
void assess(Record& record, const std::vector<Page>& pages);

}  // namespace sohoa::review
