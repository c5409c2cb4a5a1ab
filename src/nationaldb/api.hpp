// The shared categories' API types (http/api.hpp). /dmdc speaks the LGSP's naming (Vietnamese
// field names in PascalCase, as the LGSP's categories do: MaDinhDanhCap1, TenDonVi; the names
// here beyond those are our assumption); /api/v1/categories is tinhso's own administration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/api.hpp"
#include "nationaldb/categories.hpp"

namespace tinhso::nationaldb {

// ---- /dmdc ------------------------------------------------------------------------------------

struct DmdcVersion {
  std::string PhienBan;
  http::Date HieuLucTu;
  http::Nullable<http::Date> HieuLucDen;  // the next version's first day; null: in force
  std::string CanCu;                      // legal basis
  std::string GhiChu;
  std::int64_t SoMuc = 0;  // items valid on its first day
};
TINHSO_API_STRUCT(DmdcVersion, (PhienBan, HieuLucTu, HieuLucDen, CanCu, GhiChu, SoMuc))

struct DmdcMetadata {
  std::string MaDanhMuc;
  std::string TenDanhMuc;
  std::string TenTiengAnh;
  std::string MoTa;
  std::vector<DmdcVersion> PhienBan;  // oldest first
};
TINHSO_API_STRUCT(DmdcMetadata, (MaDanhMuc, TenDanhMuc, TenTiengAnh, MoTa, PhienBan))

struct DmdcItem {
  std::string Ma;
  std::string Ten;
  std::string TenTiengAnh;
  std::optional<std::string> MaCha;    // administrative units: the unit above
  std::optional<int> Cap;              // administrative units: 1 province, 2 commune
  std::optional<std::string> Loai;     // administrative units: tinh, xa, phuong…
  std::optional<std::string> VietTat;  // document types: the abbreviation (NĐ 30/2020)
  http::Date HieuLucTu;
  http::Nullable<http::Date> HieuLucDen;  // the first day it no longer applies; null: in force
};
TINHSO_API_STRUCT(DmdcItem,
                  (Ma, Ten, TenTiengAnh, MaCha, Cap, Loai, VietTat, HieuLucTu, HieuLucDen))

struct DmdcCategory {
  std::string MaDanhMuc;
  http::Date Ngay;       // the day the list is valid on
  std::string PhienBan;  // the version in force that day; "" before the first
  std::vector<DmdcItem> DanhSach;
};
TINHSO_API_STRUCT(DmdcCategory, (MaDanhMuc, Ngay, PhienBan, DanhSach))

// GET /dmdc/Category/{code}?ngay=, and POST's body.
struct DmdcQuery {
  std::optional<http::Date> ngay;  // default: today in Vietnam
};
TINHSO_API_STRUCT(DmdcQuery, (ngay))

// ---- /api/v1/categories -----------------------------------------------------------------------

struct CategoryVersionView {
  std::string version;
  http::Date valid_from;
  http::Nullable<http::Date> valid_to;
  std::string decision;
  std::string note;
  std::int64_t items = 0;
  http::Timestamp created_at;
};
TINHSO_API_STRUCT(CategoryVersionView,
                  (version, valid_from, valid_to, decision, note, items, created_at))

struct CategoryView {
  std::string code;
  std::string name;
  std::string name_en;
  std::string description;
  std::vector<CategoryVersionView> versions;
};
TINHSO_API_STRUCT(CategoryView, (code, name, name_en, description, versions))

struct CategoryList {
  std::vector<CategoryView> items;
};
TINHSO_API_STRUCT(CategoryList, (items))

// PUT /api/v1/categories/{code}
struct CategoryDefinition {
  http::Text<200> name;
  std::optional<http::Text<200>> name_en;
  std::optional<http::Text<4000>> description;
};
TINHSO_API_STRUCT(CategoryDefinition, (name, name_en, description))

struct CategoryItemInput {
  http::Text<64> code;
  http::Text<300> name;
  std::optional<http::Text<300>> name_en;
  std::optional<http::Text<64>> parent_code;
  std::optional<http::Bounded<int, 0, 9>> level;
  std::optional<http::Text<32>> kind;
  std::optional<http::Text<16>> abbreviation;
};
TINHSO_API_STRUCT(CategoryItemInput, (code, name, name_en, parent_code, level, kind, abbreviation))

// POST /api/v1/categories/{code}/versions
struct CategoryVersionInput {
  http::Text<64> version;
  http::Date valid_from;
  std::optional<http::Text<500>> decision;
  std::optional<http::Text<2000>> note;
  std::vector<CategoryItemInput> items;  // the whole list from valid_from (listed by code)
};
TINHSO_API_STRUCT(CategoryVersionInput, (version, valid_from, decision, note, items))

struct CategoryPublished {
  int added = 0;
  int changed = 0;
  int ended = 0;
  int unchanged = 0;
};
TINHSO_API_STRUCT(CategoryPublished, (added, changed, ended, unchanged))

// PUT /api/v1/categories/{code}/items/{item}
struct CategoryItemChange {
  http::Text<300> name;
  std::optional<http::Text<300>> name_en;
  std::optional<http::Text<64>> parent_code;
  std::optional<http::Bounded<int, 0, 9>> level;
  std::optional<http::Text<32>> kind;
  std::optional<http::Text<16>> abbreviation;
  http::Date valid_from;  // from this day on
};
TINHSO_API_STRUCT(CategoryItemChange,
                  (name, name_en, parent_code, level, kind, abbreviation, valid_from))

// POST /api/v1/categories/{code}/items/{item}/end
struct CategoryItemEnd {
  http::Date valid_to;  // the first day it no longer applies
};
TINHSO_API_STRUCT(CategoryItemEnd, (valid_to))

}  // namespace tinhso::nationaldb
