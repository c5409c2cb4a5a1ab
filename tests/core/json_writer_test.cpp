#include "core/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>
#include <string>

namespace tinhso::json {
namespace {

TEST(JsonWriterTest, WritesNestedContainersWithCommasInTheRightPlaces) {
  Writer w;
  w.BeginObject()
      .Field("code", "H55.19-260101-0001")
      .Field("status", 10)
      .Field("paid", true)
      .Field("returned_at", std::optional<std::string>())
      .Key("events")
      .BeginArray();
  for (int i = 1; i <= 3; ++i)
    w.BeginObject().Field("seq", i).Key("items").BeginArray().EndArray().EndObject();
  w.EndArray().Key("empty").BeginObject().EndObject().EndObject();
  const std::string text = w.Take();
  EXPECT_EQ(text, R"({"code":"H55.19-260101-0001","status":10,"paid":true,"returned_at":null,)"
                  R"("events":[{"seq":1,"items":[]},{"seq":2,"items":[]},{"seq":3,"items":[]}],)"
                  R"("empty":{}})");
  EXPECT_NO_THROW(boost::json::parse(text));
}

TEST(JsonWriterTest, EscapesWhatJsonRequiresAndKeepsVietnameseAsIs) {
  Writer w;
  const std::string tricky = std::string("Trả \"kết quả\"\\ \n\t\r") + '\x01' + '\x1f' + "Đ";
  w.BeginArray().String(tricky).EndArray();
  const std::string text = w.Take();
  EXPECT_EQ(text, "[\"Trả \\\"kết quả\\\"\\\\ \\n\\t\\r\\u0001\\u001fĐ\"]");
  // What a standard parser reads back is the original string.
  EXPECT_EQ(boost::json::parse(text).as_array()[0].as_string(), tricky);
}

TEST(JsonWriterTest, WritesTheWholeRangeOfIntegers) {
  Writer w;
  w.BeginArray()
      .Int(0)
      .Int(-1)
      .Int(std::numeric_limits<std::int64_t>::min())
      .Int(std::numeric_limits<std::int64_t>::max())
      .Null()
      .Bool(false)
      .EndArray();
  EXPECT_EQ(w.Take(), "[0,-1,-9223372036854775808,9223372036854775807,null,false]");
}

TEST(JsonWriterTest, RawValuesTakeTheirPlaceAmongOthers) {
  Writer w;
  w.BeginObject().Field("a", 1).Key("events").Raw(R"([{"seq":1}])").Field("b", "x").EndObject();
  EXPECT_EQ(w.Take(), R"({"a":1,"events":[{"seq":1}],"b":"x"})");
}

}  // namespace
}  // namespace tinhso::json
