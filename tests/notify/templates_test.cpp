// Templates and SMS sizes: pure functions, no database.
#include <gtest/gtest.h>

#include <string>

#include "core/text.hpp"
#include "notify/notify.hpp"

namespace tinhso::notify {
namespace {

TEST(Render, SubstitutesPlaceholders) {
  auto r = Render("Hồ sơ {{code}}: hẹn {{ date }}.", {{"code", "H55-1"}, {"date", "12/03/2026"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Hồ sơ H55-1: hẹn 12/03/2026.");
  EXPECT_EQ(*Render("không biến", {}), "không biến");
}

TEST(Render, NamesAnUnknownPlaceholder) {
  auto r = Render("Hồ sơ {{code}} hẹn {{ngay_hen}}", {{"code", "H55-1"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "notify.unknown_placeholder");
  EXPECT_NE(r.error().message_vi.find("{{ngay_hen}}"), std::string::npos);
  EXPECT_NE(r.error().message_en.find("{{ngay_hen}}"), std::string::npos);
  EXPECT_EQ(Render("Hồ sơ {{code", {{"code", "x"}}).error().reason, "notify.bad_placeholder");
}

TEST(Validate, ChecksPlaceholdersAgainstTheEvent) {
  Template t;
  t.event_key = "accepted";
  t.channel = Channel::kSms;
  t.body = "Hồ sơ {{code}} hẹn ngày {{appointment_date}}.";
  EXPECT_TRUE(Validate(t).ok());
  t.body = "Hồ sơ {{code}} cần bổ sung {{what}}.";  // `what` belongs to supplement_requested
  auto v = Validate(t);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().reason, "notify.unknown_placeholder");
  EXPECT_NE(v.error().message_en.find("{{what}}"), std::string::npos);
  t.body = "Ho so {{code}}";
  t.body_unaccented = "Hồ sơ {{code}}";
  EXPECT_EQ(Validate(t).error().reason, "notify.unaccented_has_diacritics");
  t.event_key = "khong_co";
  EXPECT_EQ(Validate(t).error().reason, "notify.unknown_event");
  t.event_key = "accepted";
  t.channel = Channel::kEmail;
  t.body_unaccented.clear();
  EXPECT_EQ(Validate(t).error().reason, "notify.template_empty");  // an e-mail needs a subject
}

TEST(MeasureSms, Gsm7SegmentsOf160And153) {
  const std::string a160(160, 'a');
  SmsSize s = MeasureSms(a160, 250);
  EXPECT_EQ(s.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(s.units, 160);
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(s.cost, 250);
  s = MeasureSms(a160 + "a", 250);
  EXPECT_EQ(s.segments, 2);
  EXPECT_EQ(s.cost, 500);
  EXPECT_EQ(MeasureSms(std::string(306, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(307, 'a')).segments, 3);
  // The extension table: "€" and "[" take two septets each, and stay GSM-7.
  s = MeasureSms(std::string(158, 'a') + "€");
  EXPECT_EQ(s.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(s.units, 160);
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(MeasureSms(std::string(159, 'a') + "[").segments, 2);
  EXPECT_EQ(MeasureSms("").segments, 1);
}

TEST(MeasureSms, AnyVietnameseDiacriticMeansUcs2Of70And67) {
  // One "ồ" turns 69 letters into UCS-2.
  SmsSize s = MeasureSms(std::string(69, 'a') + "ồ");
  EXPECT_EQ(s.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(s.units, 70);
  EXPECT_EQ(s.segments, 1);
  EXPECT_EQ(MeasureSms(std::string(70, 'a') + "ồ").segments, 2);
  EXPECT_EQ(MeasureSms(std::string(133, 'a') + "đ").segments, 2);  // 134 = 2 × 67
  EXPECT_EQ(MeasureSms(std::string(134, 'a') + "đ").segments, 3);
  // Decomposed input counts as its NFC form: what phones send.
  EXPECT_EQ(MeasureSms("Ho\u0302\u0300").units, 2);
  // "é" and "à" are in GSM-7; Vietnamese "ạ" is not.
  EXPECT_EQ(MeasureSms("café à").encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(MeasureSms("ạ").encoding, SmsEncoding::kUcs2);
}

TEST(MeasureSms, TheUnaccentedVariantFitsInFewerSegments) {
  const std::string text =
      "Hồ sơ H55.01-260310-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 24/03/2026 tại Bộ phận "
      "một cửa xã Chợ Đồn.";
  const SmsSize accented = MeasureSms(text, 300);
  const SmsSize plain = MeasureSms(core::Unaccented(text), 300);
  EXPECT_EQ(accented.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(accented.segments, 2);
  EXPECT_EQ(plain.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(plain.segments, 1);
  EXPECT_EQ(accented.cost, 600);
}

}  // namespace
}  // namespace tinhso::notify
