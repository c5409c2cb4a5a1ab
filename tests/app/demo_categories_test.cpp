// The demo province's administrative units, built from the demo agency tree: three levels as
// they stood before 1 July 2025, two from that day, on both backends; loading twice adds nothing.
#include "app/demo_categories.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "app_fixture.hpp"
#include "core/parse.hpp"

namespace tinhso::app {
namespace {

class DemoCategoriesTest : public test::AppTest {};

const nationaldb::Item* Find(const nationaldb::Listing& l, std::string_view code) {
  for (const auto& i : l.items) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

TEST_P(DemoCategoriesTest, AdministrativeUnitsBeforeAndAfterTheFirstOfJuly2025) {
  const char* source = std::getenv("TINHSO_SOURCE_DIR");
  const auto demo = std::filesystem::path(source ? source : ".") / "data" / "demo";
  ASSERT_TRUE(agencies::LoadDemo(app_->agencies(), demo, core::SystemActor()).ok());
  auto loaded =
      LoadDemoAdministrativeUnits(app_->agencies(), app_->categories(), core::SystemActor());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en << " " << loaded.error().detail;
  EXPECT_EQ(loaded->versions, 2);

  auto before = app_->categories().Items("donvihanhchinh", core::ParseDate("2025-06-30"));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->version, "2025-01-01");
  const auto* province = Find(*before, "H04");
  ASSERT_NE(province, nullptr);
  EXPECT_EQ(province->name, "Tỉnh Bắc Kạn");
  EXPECT_EQ(province->level, 1);
  const auto* district = Find(*before, "H04.31");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->name, "Huyện Ba Bể");
  EXPECT_EQ(district->kind, "huyen");
  EXPECT_EQ(district->parent_code, "H04");
  const auto* township = Find(*before, "H04.31.01");
  ASSERT_NE(township, nullptr);
  EXPECT_EQ(township->name, "Thị trấn Chợ Rã");
  EXPECT_EQ(township->level, 3);
  EXPECT_EQ(township->parent_code, "H04.31");
  EXPECT_EQ(township->valid_to, core::ParseDate("2025-07-01"));

  auto after = app_->categories().Items("donvihanhchinh", core::ParseDate("2025-07-01"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->version, "2025-07-01");
  int communes = 0;
  for (const auto& unit : after->items) {
    EXPECT_LE(unit.level, 2) << unit.code << ": two levels from 1 July 2025";
    if (unit.level == 2) {
      ++communes;
      EXPECT_EQ(unit.parent_code, "H55") << unit.code;
    }
  }
  EXPECT_EQ(communes, 38);  // data/demo/README.md: 37 new communes and wards, one kept
  const auto* ba_be = Find(*after, "H55.405");
  ASSERT_NE(ba_be, nullptr);
  EXPECT_EQ(ba_be->name, "Xã Ba Bể");
  EXPECT_EQ(Find(*after, "H04"), nullptr);
  EXPECT_EQ(Find(*after, "H55.401")->kind, "phuong");

  auto again =
      LoadDemoAdministrativeUnits(app_->agencies(), app_->categories(), core::SystemActor());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->versions, 0);
  EXPECT_EQ(again->versions_skipped, 2);
}

TINHSO_INSTANTIATE_BACKENDS(DemoCategoriesTest);

}  // namespace
}  // namespace tinhso::app
