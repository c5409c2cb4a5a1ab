// Shared by the catalog tests: the shipped data file, and a small valid document that each
// validation case breaks in one place.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog/catalog.hpp"
#include "core/actor.hpp"

namespace tinhso::catalog::testing {

inline std::filesystem::path DataFile() {
  const char* root = std::getenv("TINHSO_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "data" / "catalog" / "procedures.json";
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped catalog, parsed; fails the test if it does not parse.
inline Catalog ShippedCatalog() {
  auto c = Parse(ReadText(DataFile()));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
  return c.ok() ? *c : Catalog{};
}

// A valid document with one sector and one procedure (1.001193) whose every list has entries,
// so a case can break any field.
inline boost::json::object MinimalDocument() {
  return boost::json::parse(R"({
  "about": "test",
  "sectors": [{"code": "tu_phap", "name": "Sở Tư pháp", "agency_code": "H55.03"}],
  "procedures": [{
    "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "name_en": "Birth registration",
    "field": {"code": "HT", "name": "Hộ tịch"}, "level": "commune",
    "competent": {"kind": "commune"}, "online_level": "full",
    "processing_time": {"value": 1, "unit": "working_days"},
    "fees": [{"code": "LP", "name": "Lệ phí", "kind": "le_phi", "amount": 0, "note": "Miễn"}],
    "components": [
      {"code": "TP1", "name": "Tờ khai", "originals": 1, "certified": 0, "copies": 0,
       "required": true, "file_types": ["pdf", "jpg"]},
      {"code": "TP2", "name": "Giấy chứng sinh", "originals": 1, "required": true}],
    "form": [
      {"name": "ho_ten", "label_vi": "Họ và tên", "label_en": "Full name", "type": "text",
       "required": true, "max_length": 100},
      {"name": "gioi_tinh", "label_vi": "Giới tính", "label_en": "Sex", "type": "select",
       "required": true, "options": ["Nam", "Nữ"]},
      {"name": "so_con", "label_vi": "Số con", "label_en": "Children", "type": "number",
       "min": 0, "max": 20}],
    "results": ["Giấy khai sinh"],
    "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
    "steps": [
      {"code": "tiep_nhan", "name": "Tiếp nhận", "name_en": "Reception", "role": "reception",
       "agency": {"kind": "receiving"}, "share": 0.1},
      {"code": "xu_ly", "name": "Xử lý", "name_en": "Processing", "role": "officer",
       "agency": {"kind": "competent"}, "share": 0.6},
      {"code": "y_kien", "name": "Xin ý kiến", "name_en": "Consultation", "role": "officer",
       "agency": {"kind": "department", "sector": "tu_phap"}, "share": 0.1,
       "kind": "consultation"},
      {"code": "phe_duyet", "name": "Phê duyệt", "name_en": "Approval", "role": "leader",
       "agency": {"kind": "competent"}, "share": 0.1},
      {"code": "tra_ket_qua", "name": "Trả kết quả", "name_en": "Return", "role": "reception",
       "agency": {"kind": "receiving"}, "share": 0.1}]
  }]
})")
      .as_object();
}

inline boost::json::object& FirstProcedure(boost::json::object& doc) {
  return doc["procedures"].as_array()[0].as_object();
}

inline core::Actor Admin() {
  core::Actor a;
  a.kind = core::ActorKind::kAdmin;
  a.user_id = 7;
  a.login = "quantri";
  a.full_name = "Quản trị viên";
  return a;
}

}  // namespace tinhso::catalog::testing
