package expr

import "testing"

func TestJSONFunctions(t *testing.T) {
	doc := `{"a": {"b": [1, "x", true, null, {"c": 2}], "n": 1.50}, "k y": "v"}`
	runCases(t, utcCtx(), []fcase{
		c("JSON_VALUE", "1", aStr(doc), lit(aStr("$.a.b[0]"))),
		c("JSON_VALUE", "x", aStr(doc), aStr("$.a.b[1]")),
		c("JSON_VALUE", "true", aStr(doc), aStr("$.a.b[2]")),
		c("JSON_VALUE", "null", aStr(doc), aStr("$.a.b[3]")),
		c("JSON_VALUE", "null", aStr(doc), aStr("$.a.b[4]")),
		c("JSON_VALUE", "null", aStr(doc), aStr("$.a.b")),
		c("JSON_VALUE", "null", aStr(doc), aStr("$.a.b[9]")),
		c("JSON_VALUE", "null", aStr(doc), aStr("$.missing")),
		c("JSON_VALUE", "2", aStr(doc), aStr("$.a.b[4].c")),
		c("JSON_VALUE", "1.50", aStr(doc), aStr("$.a.n")),
		c("JSON_VALUE", "1", aStr(doc), aStr("$['a']['b'][0]")),
		c("JSON_VALUE", "v", aStr(doc), aStr(`$["k y"]`)),
		c("JSON_VALUE", "1", aStr(doc), aStr("lax $.a.b[0]")),
		c("JSON_VALUE", "1", aStr(doc), aStr("strict $.a.b[0]")),
		c("JSON_VALUE", "s", aStr(`"s"`), aStr("$")),
		c("JSON_VALUE", "null", aStr(`{"a": 1`), aStr("$.a")),
		c("JSON_VALUE", "null", aStr(`{"a": 1} x`), aStr("$.a")),
		c("JSON_VALUE", "null", aStr(doc), aStr("$a")),

		c("JSON_EXISTS", "true", aStr(doc), lit(aStr("$.a"))),
		c("JSON_EXISTS", "true", aStr(doc), aStr("$.a.b[3]")),
		c("JSON_EXISTS", "false", aStr(doc), aStr("$.x")),
		c("JSON_EXISTS", "false", aStr(doc), aStr("$.a.b[5]")),
		c("JSON_EXISTS", "false", aStr("not json"), aStr("$.a")),
	})
	wantErr(t, "JSON_VALUE", "must start with $", aStr("{}"), lit(aStr("a.b")))
	wantErr(t, "JSON_VALUE", "wildcards are not supported", aStr("{}"), lit(aStr("$.*")))
	wantErr(t, "JSON_EXISTS", "invalid array index", aStr("{}"), lit(aStr("$.a[x]")))
}

func TestParseURL(t *testing.T) {
	// Examples from Flink's documentation.
	u := "http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1"
	runCases(t, utcCtx(), []fcase{
		c("PARSE_URL", "facebook.com", aStr(u), lit(aStr("HOST"))),
		c("PARSE_URL", "v1", aStr(u), lit(aStr("QUERY")), lit(aStr("k1"))),
		c("PARSE_URL", "v2", aStr(u), aStr("QUERY"), aStr("k2")),
		c("PARSE_URL", "null", aStr(u), aStr("QUERY"), aStr("k3")),
		c("PARSE_URL", "null", aStr(u), aStr("QUERY"), aStr("k")),
		c("PARSE_URL", "/path1/p.php", aStr(u), aStr("PATH")),
		c("PARSE_URL", "k1=v1&k2=v2", aStr(u), aStr("QUERY")),
		c("PARSE_URL", "Ref1", aStr(u), aStr("REF")),
		c("PARSE_URL", "http", aStr(u), aStr("PROTOCOL")),
		c("PARSE_URL", "/path1/p.php?k1=v1&k2=v2", aStr(u), aStr("FILE")),
		c("PARSE_URL", "facebook.com", aStr(u), aStr("AUTHORITY")),
		c("PARSE_URL", "null", aStr(u), aStr("USERINFO")),
		c("PARSE_URL", "null", aStr(u), aStr("host")),

		c("PARSE_URL", "user:pw", aStr("https://user:pw@host:8080/x"), aStr("USERINFO")),
		c("PARSE_URL", "user:pw@host:8080", aStr("https://user:pw@host:8080/x"), aStr("AUTHORITY")),
		c("PARSE_URL", "host", aStr("https://user:pw@host:8080/x"), aStr("HOST")),
		c("PARSE_URL", "[::1]", aStr("http://[::1]:80/x"), aStr("HOST")),
		c("PARSE_URL", "", aStr("http://a.com"), aStr("PATH")),
		c("PARSE_URL", "null", aStr("http://a.com"), aStr("QUERY")),
		c("PARSE_URL", "", aStr("http://a.com/?k=&j=1"), aStr("QUERY"), aStr("k")),
		c("PARSE_URL", "/tmp/x", aStr("file:/tmp/x"), aStr("PATH")),
		c("PARSE_URL", "null", aStr("www.a.com/x"), aStr("HOST")),
		c("PARSE_URL", "null", aStr("foo://a.com/x"), aStr("HOST")),
		c("PARSE_URL", "null", aStr("http://a.com:x8/x"), aStr("HOST")),
		c("PARSE_URL", "null", aStr(u), aStr("HOST"), aStr("k1")),
	})
	wantErr(t, "PARSE_URL", `unknown part "host"`, aStr(u), lit(aStr("host")))
}
