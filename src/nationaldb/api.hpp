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

// POST /api/v1/citizens/check: an applicant's identity against the population database.
struct CitizenCheckBody {
  http::Text<12> so_dinh_danh;  // the 12-digit personal identification number
  http::Text<200> ho_va_ten;
  http::Text<10> ngay_sinh;  // YYYY-MM-DD
};
TINHSO_API_STRUCT(CitizenCheckBody, (so_dinh_danh, ho_va_ten, ngay_sinh))

struct CitizenView {
  std::string so_dinh_danh;
  std::string ho_va_ten;
  std::string ngay_sinh;
  std::string gioi_tinh;  // "1" nam, "2" nữ
  std::string dan_toc;
  std::string quoc_tich;
  std::string que_quan;
  std::string noi_thuong_tru;
  std::string noi_o_hien_tai;
};
TINHSO_API_STRUCT(CitizenView, (so_dinh_danh, ho_va_ten, ngay_sinh, gioi_tinh, dan_toc, quoc_tich,
                                que_quan, noi_thuong_tru, noi_o_hien_tai))

struct CitizenCheckView {
  std::string match;                    // "matches", "not_found" or "differs"
  std::vector<std::string> differing;   // "ho_va_ten", "ngay_sinh"
  http::Nullable<CitizenView> citizen;  // the record, to fill the form, when it matches
  std::string ma_yeu_cau;               // the request's id at the population database
};
TINHSO_API_STRUCT(CitizenCheckView, (match, differing, citizen, ma_yeu_cau))

}  // namespace tinhso::nationaldb
