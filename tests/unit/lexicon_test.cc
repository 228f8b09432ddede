// The lexicon over the real data: models/gazetteer.tsv, names.tsv, phrases.txt and Debian's
// hunspell-vi (.ci/install-deps.sh installs it).
#include <gtest/gtest.h>

#include <algorithm>

#include "lexicon/lexicon.h"

using namespace sohoa::lexicon;

namespace {

const Lexicon& lx() {
  const Lexicon& l = lexicon();
  EXPECT_TRUE(l.ok) << "models: " << l.models_dir << " hunspell: " << l.hunspell_path;
  return l;
}

bool has_check(const std::vector<IdCheckFailure>& f, const std::string& check) {
  return std::any_of(f.begin(), f.end(), [&](const IdCheckFailure& x) { return x.check == check; });
}

std::vector<WordConf> words(const std::string& s, float conf, std::vector<size_t> low = {}, float low_conf = 30) {
  std::vector<WordConf> out;
  size_t i = 0, start = 0;
  while (start < s.size()) {
    size_t e = s.find(' ', start);
    if (e == std::string::npos) e = s.size();
    bool is_low = std::find(low.begin(), low.end(), i) != low.end();
    out.push_back({s.substr(start, e - start), is_low ? low_conf : conf});
    start = e + 1;
    ++i;
  }
  return out;
}

}  // namespace

TEST(Lexicon, LoadsGazetteerOfBothErasAndHunspellSyllables) {
  const Lexicon& l = lx();
  int old_prov = 0, new_prov = 0, new_communes = 0, districts = 0;
  for (const AdminUnit& u : l.units) {
    if (u.level == 1 && u.era == 'o') ++old_prov;
    if (u.level == 1 && u.era == 'n') ++new_prov;
    if (u.level == 3 && u.era == 'n') ++new_communes;
    if (u.level == 2) ++districts;
  }
  EXPECT_EQ(new_prov, 34);
  EXPECT_EQ(new_communes, 3321);
  EXPECT_GE(old_prov, 63);  // Thừa Thiên Huế and Thành phố Huế are both there
  EXPECT_GT(districts, 700);
  EXPECT_GT(l.syllables.size(), 6000u);
  EXPECT_TRUE(is_valid_syllable("duyệt"));
  EXPECT_FALSE(is_valid_syllable("đuyệt"));
  EXPECT_TRUE(is_valid_syllable("TỈNH"));
}

TEST(Lexicon, ProvinceCodesOfIdentityNumbers) {
  lx();
  EXPECT_TRUE(is_valid_province_code("079"));
  auto hcm = province_for_code("079");
  ASSERT_TRUE(hcm);
  EXPECT_EQ(hcm->name, "Thành phố Hồ Chí Minh");
  auto hn = province_for_code("001");
  ASSERT_TRUE(hn);
  EXPECT_EQ(hn->name, "Thành phố Hà Nội");
  // Hà Giang (002) merged into Tuyên Quang on 2025-07-01; its code stays valid on old cards.
  auto hg = province_for_code("002");
  ASSERT_TRUE(hg);
  EXPECT_EQ(hg->name, "Tỉnh Hà Giang");
  EXPECT_EQ(hg->current_name, "Tỉnh Tuyên Quang");
  EXPECT_EQ(province_for_code("056")->name, "Tỉnh Khánh Hòa");
  // 003, 005, 009, 097 belong to no province; a 2-digit code is not a card's.
  for (const char* bad : {"003", "005", "009", "097", "100", "79", "07a"}) EXPECT_FALSE(is_valid_province_code(bad)) << bad;
}

TEST(Lexicon, IdentityNumberChecks) {
  lx();
  // Born 1992 (20th century, male: 4th digit 0), issued in Khánh Hòa.
  EXPECT_TRUE(validate_so_dinh_danh("056092226023", 1992, Gender::male).empty());
  EXPECT_TRUE(validate_so_dinh_danh("056 092 226 023", 1992).empty());
  // Woman born 1985: 4th digit 1.
  EXPECT_TRUE(validate_so_dinh_danh("001185307675", 1985, Gender::female).empty());
  // Born 2022, male: 4th digit 2.
  EXPECT_TRUE(validate_so_dinh_danh("022222373895", 2022, Gender::male).empty());

  auto wrong_century = validate_so_dinh_danh("056292226023", 1992);
  ASSERT_EQ(wrong_century.size(), 1u);
  EXPECT_EQ(wrong_century[0].check, "century");
  EXPECT_NE(wrong_century[0].reason.find("2000-2099"), std::string::npos) << wrong_century[0].reason;

  auto wrong_year = validate_so_dinh_danh("056093226023", 1992);
  ASSERT_EQ(wrong_year.size(), 1u);
  EXPECT_EQ(wrong_year[0].check, "birth_year");

  EXPECT_TRUE(has_check(validate_so_dinh_danh("056092226023", 1992, Gender::female), "gender"));
  EXPECT_TRUE(has_check(validate_so_dinh_danh("003092226023"), "province"));
  EXPECT_TRUE(has_check(validate_so_dinh_danh("05609222602"), "format"));
  EXPECT_TRUE(has_check(validate_so_dinh_danh("0560922260231"), "format"));
  EXPECT_TRUE(has_check(validate_so_dinh_danh("05609222602O"), "format"));
  // 4th digit 4: born 2100-2199, in the future whatever the birth year read.
  EXPECT_TRUE(has_check(validate_so_dinh_danh("056492226023"), "century"));
}

TEST(Lexicon, FindsTheUnitAnAuthorityLineNames) {
  lx();
  // Tĩnh Gia became Thị xã Nghi Sơn on 2020-06-01: an old name, still found.
  auto tg = find_place("UBND HUYỆN TĨNH GIA");
  ASSERT_TRUE(tg);
  ASSERT_NE(tg->unit, nullptr);
  EXPECT_EQ(tg->unit->name, "Huyện Tĩnh Gia");
  EXPECT_EQ(tg->level, 2);
  EXPECT_EQ(tg->unit->until, "2020-06-01");
  ASSERT_NE(tg->province, nullptr);
  EXPECT_EQ(tg->province->name, "Tỉnh Thanh Hóa");
  EXPECT_EQ(tg->written, "HUYỆN TĨNH GIA");
  EXPECT_TRUE(tg->diacritics_exact);

  // Without diacritics.
  auto qn = find_place("UY BAN NHAN DAN THANH PHO QUY NHON");
  ASSERT_TRUE(qn);
  ASSERT_NE(qn->unit, nullptr);
  EXPECT_EQ(qn->unit->name, "Thành phố Quy Nhơn");
  EXPECT_FALSE(qn->diacritics_exact);
  EXPECT_EQ(qn->province->name, "Tỉnh Bình Định");

  // One OCR slip in the name ("KIẾN XƯỜNG" for Kiến Xương is a diacritic; "KIẾN XUƠNQ" a letter).
  auto kx = find_place("UBND HUYỆN KIẾN XUƠNQ");
  ASSERT_TRUE(kx);
  ASSERT_NE(kx->unit, nullptr);
  EXPECT_EQ(kx->unit->name, "Huyện Kiến Xương");
  EXPECT_EQ(kx->edits, 1);

  // Xã Tân Lập exists in many provinces: ambiguous alone...
  auto tl = find_place("Ủy ban nhân dân xã Tân Lập");
  ASSERT_TRUE(tl);
  EXPECT_EQ(tl->level, 3);
  EXPECT_GT(tl->candidates.size(), 5u);
  EXPECT_EQ(tl->unit, nullptr);
  EXPECT_EQ(tl->province, nullptr);
  // ...but one with its district and province named after it.
  auto tl2 = find_place("Ủy ban nhân dân xã Tân Lập, huyện Đan Phượng, thành phố Hà Nội");
  ASSERT_TRUE(tl2);
  ASSERT_NE(tl2->unit, nullptr);
  EXPECT_EQ(tl2->unit->name, "Xã Tân Lập");
  ASSERT_NE(tl2->province, nullptr);
  EXPECT_EQ(tl2->province->name, "Thành phố Hà Nội");

  // ...or one whose document names its district elsewhere (the context narrows, is not returned).
  auto tl3 = find_place("UBND XÃ TÂN LẬP", {}, "Nơi cư trú: thôn 2, xã Tân Lập, huyện Đan Phượng, TP Hà Nội");
  ASSERT_TRUE(tl3);
  ASSERT_NE(tl3->unit, nullptr);
  EXPECT_EQ(tl3->unit->parent, tl2->unit->parent);
  EXPECT_EQ(tl3->written, "XÃ TÂN LẬP");

  // Phường Tân Định was a ward of Quận 1 and is one of Hồ Chí Minh City since 2025: a context
  // naming Quận 1 and the city picks the Quận 1 one (its most specific place), not the newest.
  auto td = find_place("UBND PHƯỜNG TÂN ĐỊNH", {}, "UBND QUẬN 1\nThành phố Hồ Chí Minh, ngày 16 tháng 07 năm 2024");
  ASSERT_TRUE(td);
  ASSERT_NE(td->unit, nullptr);
  EXPECT_EQ(td->unit->era, 'o');
  EXPECT_EQ(td->unit->parent, "760");
  auto td_new = find_place("UBND PHƯỜNG TÂN ĐỊNH", "2025-09-01");
  ASSERT_TRUE(td_new);
  ASSERT_NE(td_new->unit, nullptr);
  EXPECT_EQ(td_new->unit->era, 'n');

  // The national motto names no commune ("xã hội" is society; "Xã Hội Cư" is one slip away).
  EXPECT_FALSE(find_place("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
  EXPECT_FALSE(find_place("CỌNG HOÀ XÃ HỌI CHỦ NGHĨA VIỆT NAM"));  // as OCR read it on a real scan
  // A city named alone in a date line: one place across both eras.
  auto hn = find_place("Hà Nội, ngày 09 tháng 04 năm 2015");
  ASSERT_TRUE(hn);
  ASSERT_NE(hn->unit, nullptr);
  EXPECT_EQ(hn->unit->name, "Thành phố Hà Nội");

  // "quản lý" is no district, and a sentence without a unit finds nothing.
  EXPECT_FALSE(find_place("Ban quản lý dự án đầu tư xây dựng"));
  // A province named alone.
  auto na = find_place("SỞ GIÁO DỤC VÀ ĐÀO TẠO NGHỆ AN");
  ASSERT_TRUE(na);
  ASSERT_NE(na->province, nullptr);
  EXPECT_EQ(na->province->name, "Tỉnh Nghệ An");
  // Numbered districts.
  auto q1 = find_place("UBND QUẬN 1 PHÒNG TÀI CHÍNH - KẾ HOẠCH");
  ASSERT_TRUE(q1);
  ASSERT_NE(q1->province, nullptr);
  EXPECT_EQ(q1->province->name, "Thành phố Hồ Chí Minh");
  EXPECT_EQ(q1->written, "QUẬN 1");
}

TEST(Lexicon, PlacesOnADateKeepTheUnitsInForce) {
  lx();
  // Phường Tĩnh Gia is a ward of Thanh Hóa since 2025-07-01; Thị trấn Tĩnh Gia was one before 2020.
  auto after = find_place("UBND PHƯỜNG TĨNH GIA", "2025-08-01");
  ASSERT_TRUE(after);
  ASSERT_NE(after->unit, nullptr);
  EXPECT_EQ(after->unit->era, 'n');
  EXPECT_FALSE(find_place("UBND PHƯỜNG TĨNH GIA", "2023-01-01"));
}

TEST(Lexicon, ResplitsGluedWords) {
  lx();
  Resplit r = resplit_glued("BỆNH VIỆN ĐA KHOATỈNH KHÁNH HÒA");
  EXPECT_EQ(r.text, "BỆNH VIỆN ĐA KHOA TỈNH KHÁNH HÒA");
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].before, "KHOATỈNH");
  EXPECT_EQ(r.changes[0].after, "KHOA TỈNH");
  EXPECT_FALSE(r.changes[0].why.empty());
  EXPECT_EQ(resplit_glued("UBNDPHƯỜNG VĨNH HẢI").text, "UBND PHƯỜNG VĨNH HẢI");
  // Case and punctuation kept.
  EXPECT_EQ(resplit_glued("Cộng hòa xã hội chủ nghĩa Việtnam,").text, "Cộng hòa xã hội chủ nghĩa Việt nam,");
  // Valid syllables, acronyms, numbers, place syllables hunspell lacks and text without
  // diacritics are left alone.
  for (const char* same : {"UBND TỈNH ĐẮK LẮK", "QĐ-UBND số 123/2024", "Huyen Krong Bong tinh Dak Lak",
                           "CONG HOA XA HOI CHU NGHIA VIET NAM", "Nguyễn Văn An"}) {
    Resplit s = resplit_glued(same);
    EXPECT_EQ(s.text, same);
    EXPECT_TRUE(s.changes.empty()) << same << " -> " << s.text;
  }
}

TEST(Lexicon, CorrectsLowConfidenceWordsOnlyWhenOneCandidateIsClearlyBetter) {
  lx();
  // "đuyệt" is no syllable; "phê duyệt" is a known phrase.
  auto w1 = words("Về việc phê đuyệt phương án bồi thường", 95, {3});
  auto c1 = correct_words(w1, Field::trich_yeu);
  ASSERT_EQ(c1.size(), 1u);
  EXPECT_EQ(c1[0].index, 3u);
  EXPECT_EQ(c1[0].before, "đuyệt");
  EXPECT_EQ(c1[0].after, "duyệt");
  EXPECT_NE(c1[0].why.find("phê duyệt"), std::string::npos) << c1[0].why;
  EXPECT_EQ(apply_corrections(w1, c1), "Về việc phê duyệt phương án bồi thường");

  // "địch" is a valid syllable, but only "dịch vụ" is a known phrase.
  auto w2 = words("đẩy mạnh cung cấp địch vụ công", 95, {4});
  auto c2 = correct_words(w2, Field::trich_yeu);
  ASSERT_EQ(c2.size(), 1u);
  EXPECT_EQ(c2[0].after, "dịch");
  EXPECT_EQ(apply_corrections(w2, c2), "đẩy mạnh cung cấp dịch vụ công");

  // The same slip read with high confidence is never touched: "địch" is a word.
  EXPECT_TRUE(correct_words(words("đẩy mạnh cung cấp địch vụ công", 95), Field::trich_yeu).empty());
  // "đuyệt" is no word at all, so OCR's confidence does not save it; the phrase decides.
  auto sure = correct_words(words("Về việc phê đuyệt phương án", 95), Field::trich_yeu);
  ASSERT_EQ(sure.size(), 1u);
  EXPECT_EQ(sure[0].after, "duyệt");
  // ... but only by a diacritic fix with phrase evidence, never in a name.
  EXPECT_TRUE(correct_words(words("Trần Văn Hủng", 95), Field::ho_ten).empty());
  EXPECT_TRUE(correct_words(words("THỪA THIÊN HUỔ", 95), Field::co_quan_ban_hanh).empty());

  // A misread place name: the gazetteer knows "Vĩnh Hải"; upper case kept.
  auto w3 = words("UBND PHƯỜNG VĨNH HÀI", 95, {3});
  auto c3 = correct_words(w3, Field::co_quan_ban_hanh);
  ASSERT_EQ(c3.size(), 1u);
  EXPECT_EQ(c3[0].after, "HẢI");

  // Names: "NGUYẺN" is no surname and only "Nguyễn" has its letters.
  auto w4 = words("NGUYẺN VĂN AN", 95, {0});
  auto c4 = correct_words(w4, Field::ho_ten);
  ASSERT_EQ(c4.size(), 1u);
  EXPECT_EQ(c4[0].after, "NGUYỄN");
}

TEST(Lexicon, LeavesAWordAloneWhenCandidatesAreEquallyGood) {
  lx();
  // "SỞ GIẢO" read at the end of a line: "sở giao (thông)" and "sở giáo (dục)" are both known
  // phrases, so neither candidate is better; with "DỤC" after it, only "giáo dục" is.
  EXPECT_TRUE(correct_words(words("SỞ GIẢO", 95, {1}), Field::co_quan_ban_hanh).empty());
  auto gd = correct_words(words("SỞ GIẢO DỤC VÀ ĐÀO TẠO", 95, {1}), Field::co_quan_ban_hanh);
  ASSERT_EQ(gd.size(), 1u);
  EXPECT_EQ(gd[0].after, "GIÁO");
  // "Hủng" is no syllable; Hùng and Hưng are both given names with these letters.
  EXPECT_TRUE(correct_words(words("Trần Văn Hủng", 95, {2}), Field::ho_ten).empty());
  // "đich" alone: dịch, địch, đích... all valid, none with phrase evidence.
  EXPECT_TRUE(correct_words(words("việc đich", 95, {1}), Field::trich_yeu).empty());
  // "HUỔ" is no syllable and "HUƠ" the only one with its letters, but nothing says it is meant.
  EXPECT_TRUE(correct_words(words("THỪA THIÊN HUỔ", 95, {2}), Field::co_quan_ban_hanh).empty());
  // A valid word that forms no known pair and has no variant that does stays as read.
  EXPECT_TRUE(correct_words(words("tổ chức hội nghị", 20), Field::trich_yeu).empty());
}

TEST(Lexicon, AMarkedWordThatIsNoSyllableIsDoubtedWhateverOcrSaid) {
  lx();
  // "địp" carries a tone and đ but no Vietnamese syllable is spelt so: a misread "dịp".
  auto d = marked_non_syllables(words("hoán đổi ngày nghỉ, ngày đi làm bù địp nghỉ lễ", 96));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].index, 8u);
  EXPECT_EQ(d[0].before, "địp");
  EXPECT_NE(d[0].after.find("dịp"), std::string::npos) << d[0].after;
  // Real syllables, unmarked foreign words, acronyms, both tone placements, and words with
  // digits or inner punctuation are left alone.
  EXPECT_TRUE(marked_non_syllables(words("Về việc cấp phép website cho UBND phường Hòa Khánh, hoà giải", 96)).empty());
  EXPECT_TRUE(marked_non_syllables(words("số 12/QĐ-UBND ngày 05/3/2024 theo NĐ số 30, 500.000 đ", 96)).empty());
  // Case is kept in what it may have been.
  auto up = marked_non_syllables(words("BÙ ĐỊP", 96));
  ASSERT_EQ(up.size(), 1u);
  EXPECT_NE(up[0].after.find("DỊP"), std::string::npos) << up[0].after;
}

TEST(Lexicon, ASureSlipToAnotherValidWordIsDoubtedByItsNeighbours) {
  lx();
  // 100-dpi print read "đẩy mạnh" as "đấy mạnh" at confidence 96: both are words, but the
  // subjects of công văn say "đẩy mạnh"; a person is asked, with it offered.
  auto d = usage_doubts(words("V/v đấy mạnh cải cách hành chính", 96));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].before, "đấy");
  EXPECT_EQ(d[0].after, "đẩy");
  // The phrase as written raises nothing.
  EXPECT_TRUE(usage_doubts(words("V/v đẩy mạnh cải cách hành chính", 96)).empty());
  EXPECT_TRUE(d[0].apply);  // both neighbours know "đẩy"
  // A blurred photo's subject read "đói tượng" at 95: "đối tượng" is common, but "soát đối" is
  // not in the word pairs; the word is asked about all the same, and not put right.
  auto one_side = usage_doubts(words("V/v rà soát đói tượng hưởng chính sách hỗ trợ", 95));
  ASSERT_EQ(one_side.size(), 1u);
  EXPECT_EQ(one_side[0].before, "đói");
  EXPECT_EQ(one_side[0].after, "đối");
  EXPECT_FALSE(one_side[0].apply);
  EXPECT_TRUE(usage_doubts(words("V/v rà soát đối tượng hưởng chính sách hỗ trợ", 95)).empty());
}

TEST(Lexicon, ALoneLetterInASubjectIsAWordCutShort) {
  lx();
  auto d = marked_non_syllables(words("rà soát đối tượng h chính sách hỗ trợ", 95));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].before, "h");
  // Vowels that are words ("y tế"), capitals (an item "A") and "đ" (đồng) are not.
  EXPECT_TRUE(marked_non_syllables(words("cấp phép hành nghề y tế cho 12 cơ sở nhóm A, mức thu 500.000 đ", 95)).empty());
}

TEST(Lexicon, NameChecks) {
  lx();
  EXPECT_TRUE(is_plausible_vietnamese_name("NGUYỄN VĂN AN"));
  EXPECT_TRUE(is_plausible_vietnamese_name("Lê Ngọc Vy"));
  EXPECT_TRUE(is_plausible_vietnamese_name("Kiều Hữu Thắng"));
  NameCheck bad = check_vietnamese_name("Phòng Tài chính");
  EXPECT_FALSE(bad.plausible);
  ASSERT_EQ(bad.reasons.size(), 1u);
  EXPECT_NE(bad.reasons[0].find("surname"), std::string::npos);
  EXPECT_FALSE(is_plausible_vietnamese_name("NGUYỄN VĂN ẢNQ"));
  EXPECT_FALSE(is_plausible_vietnamese_name("Nguyễn"));
}

TEST(Lexicon, AGarbledCouncilHeaderIsReadAsTheCouncilOfAKnownUnit) {
  lx();
  // A 600 px phone photo's header, block-read (../shared/real-scans/thanh-hoa-6.png).
  auto tg = read_as_council("LÝ HẠN NHÂN ĐẠN", "ĐHUVỆN TÍNH GIÁ");
  ASSERT_TRUE(tg);
  EXPECT_EQ(tg->value, "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA");
  EXPECT_EQ(tg->unit->name, "Huyện Tĩnh Gia");
  EXPECT_EQ(tg->edits, 4);  // ly->uy, h->b; dhuven->huyen
  // on one line, abbreviated, the name one letter off
  auto kx = read_as_council("", "UBND HUYEN KIEN XUONQ");
  ASSERT_TRUE(kx);
  EXPECT_EQ(kx->value, "UBND HUYỆN KIẾN XƯƠNG");
  // an authority that is no people's committee, or a head too far from one, is not guessed at
  EXPECT_FALSE(read_as_council("SỞ Y TẾ", "TỈNH NGHỆ AN"));
  EXPECT_FALSE(read_as_council("BAN QUẢN LÝ DỰ ÁN", "HUYỆN TĨNH GIA"));
  EXPECT_FALSE(read_as_council("CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM"));
  // nor a type word too far from any ("HUYỆN" read "PHÒNG"), nor a name no unit has
  EXPECT_FALSE(read_as_council("ỦY BAN NHÂN DÂN", "PHÒNG TĨNH GIA"));
  EXPECT_FALSE(read_as_council("ỦY BAN NHÂN DÂN", "HUYỆN QWERTY"));
  // a slip that several names are one letter from is a guess
  EXPECT_FALSE(read_as_council("ỦY BAN NHÂN DÂN", "XÃ TÂN LẬQ"));
}

TEST(Lexicon, AUnitsNameIsSpeltAsTheGazetteerWritesIt) {
  lx();
  // A blurred header read the letters of "HẢI CHÂU" with other marks.
  EXPECT_EQ(respell_place_names("ỦY BAN NHÂN DÂN QUẬN HÁI CHẤU").value_or(""), "ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU");
  EXPECT_EQ(respell_place_names("Ủy ban nhân dân quận Hái Chấu").value_or(""), "Ủy ban nhân dân quận Hải Châu");
  // Written right, or with the other placement of a tone ("THỦY" / the gazetteer's "Thuỷ"): nothing to do.
  EXPECT_FALSE(respell_place_names("ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU"));
  EXPECT_FALSE(respell_place_names("UBND HUYỆN THỦY NGUYÊN"));
  // A name one letter off is not this rule's to mend.
  EXPECT_FALSE(respell_place_names("UBND HUYỆN KIẾN XUƠNQ"));
}
