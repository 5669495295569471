package ast

import "strings"

// hardReserved are the words the Floe parser never accepts as unquoted identifiers (they are
// structural keywords of the grammar). The parser imports this set through IsHardReserved.
var hardReserved = wordSet(`
ALL AND AS BETWEEN BY CASE CAST CREATE CROSS CURRENT DISTINCT DROP ELSE END ESCAPE EXCEPT
EXISTS FALSE FETCH FOR FROM FULL GROUP HAVING IN INNER INSERT INTERSECT INTERVAL INTO IS JOIN
LATERAL LEFT LIKE LIMIT MINUS NATURAL NOT NULL OFFSET ON OR ORDER OUTER OVER PARTITION RIGHT
SELECT SIMILAR TABLE THEN TRUE UNION UNKNOWN UNNEST USING VALUES WHEN WHERE WINDOW WITH
`)

// flinkReserved are Flink SQL's (Calcite's) reserved words. Identifiers spelled like one of
// them are printed with backticks so that the output is valid Flink SQL. The Floe parser is more
// lenient and accepts most of them unquoted where unambiguous (e.g. a column named value).
var flinkReserved = wordSet(`
ABS ALL ALLOCATE ALLOW ALTER AND ANY ARE ARRAY ARRAY_MAX_CARDINALITY AS ASENSITIVE ASYMMETRIC
AT ATOMIC AUTHORIZATION AVG BEGIN BEGIN_FRAME BEGIN_PARTITION BETWEEN BIGINT BINARY BIT BLOB
BOOLEAN BOTH BY BYTES CALL CALLED CARDINALITY CASCADED CASE CAST CEIL CEILING CHAR CHARACTER
CHARACTER_LENGTH CHAR_LENGTH CHECK CLASSIFIER CLOB CLOSE COALESCE COLLATE COLLECT COLUMN
COMMIT CONDITION CONNECT CONSTRAINT CONTAINS CONVERT CORR CORRESPONDING COUNT COVAR_POP
COVAR_SAMP CREATE CROSS CUBE CUME_DIST CURRENT CURRENT_CATALOG CURRENT_DATE
CURRENT_DEFAULT_TRANSFORM_GROUP CURRENT_PATH CURRENT_ROLE CURRENT_ROW CURRENT_SCHEMA
CURRENT_TIME CURRENT_TIMESTAMP CURRENT_TRANSFORM_GROUP_FOR_TYPE CURRENT_USER CURSOR CYCLE
DATE DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFINE DELETE DENSE_RANK DEREF DESCRIBE
DETERMINISTIC DISALLOW DISCONNECT DISTINCT DOUBLE DROP DYNAMIC EACH ELEMENT ELSE EMPTY END
END_FRAME END_PARTITION EQUALS ESCAPE EVERY EXCEPT EXEC EXECUTE EXISTS EXP EXPLAIN EXTEND
EXTERNAL EXTRACT FALSE FETCH FILTER FIRST_VALUE FLOAT FLOOR FOR FOREIGN FRAME_ROW FREE FROM
FULL FUNCTION FUSION GET GLOBAL GRANT GROUP GROUPING GROUPS HAVING HOLD HOUR IDENTITY IMPORT
IN INDICATOR INITIAL INNER INOUT INSENSITIVE INSERT INT INTEGER INTERSECT INTERSECTION
INTERVAL INTO IS JOIN LAG LANGUAGE LARGE LAST_VALUE LATERAL LEAD LEADING LEFT LIKE
LIKE_REGEX LIMIT LN LOCAL LOCALTIME LOCALTIMESTAMP LOWER MATCH MATCHES MATCH_NUMBER
MATCH_RECOGNIZE MAX MEASURES MEMBER MERGE METHOD MIN MINUS MINUTE MOD MODIFIES MODULE MONTH
MULTISET NATIONAL NATURAL NCHAR NCLOB NEW NEXT NO NONE NORMALIZE NOT NTH_VALUE NTILE NULL
NULLIF NUMERIC OCCURRENCES_REGEX OCTET_LENGTH OF OFFSET OLD OMIT ON ONE ONLY OPEN OR ORDER
OUT OUTER OVER OVERLAPS OVERLAY PARAMETER PARTITION PATTERN PER PERCENT PERCENTILE_CONT
PERCENTILE_DISC PERCENT_RANK PERIOD PERMUTE PORTION POSITION POSITION_REGEX POWER PRECEDES
PRECISION PREPARE PREV PRIMARY PROCEDURE RANGE RANK READS REAL RECURSIVE REF REFERENCES
REFERENCING REGR_AVGX REGR_AVGY REGR_COUNT REGR_INTERCEPT REGR_R2 REGR_SLOPE REGR_SXX
REGR_SXY REGR_SYY RELEASE RESET RESULT RETURN RETURNS REVOKE RIGHT ROLLBACK ROLLUP ROW ROWS
ROW_NUMBER RUNNING SAVEPOINT SCOPE SCROLL SEARCH SECOND SEEK SELECT SENSITIVE SESSION_USER
SET SHOW SIMILAR SKIP SMALLINT SOME SPECIFIC SPECIFICTYPE SQL SQLEXCEPTION SQLSTATE
SQLWARNING SQRT START STATIC STDDEV_POP STDDEV_SAMP STREAM STRING SUBMULTISET SUBSET
SUBSTRING SUBSTRING_REGEX SUCCEEDS SUM SYMMETRIC SYSTEM SYSTEM_TIME SYSTEM_USER TABLE
TABLESAMPLE THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TINYINT TO TRAILING TRANSLATE
TRANSLATE_REGEX TRANSLATION TREAT TRIGGER TRIM TRIM_ARRAY TRUE TRUNCATE UESCAPE UNION UNIQUE
UNKNOWN UNNEST UPDATE UPPER UPSERT USER USING VALUE VALUES VALUE_OF VARBINARY VARCHAR VARYING
VAR_POP VAR_SAMP VERSIONING WHEN WHENEVER WHERE WIDTH_BUCKET WINDOW WITH WITHIN WITHOUT YEAR
`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// IsHardReserved reports whether word (any case) can never be an unquoted identifier in Floe.
func IsHardReserved(word string) bool { return hardReserved[strings.ToUpper(word)] }

// IsReserved reports whether word (any case) is a Flink SQL reserved word, which must be quoted
// with backticks to be used as an identifier in Flink.
func IsReserved(word string) bool { return flinkReserved[strings.ToUpper(word)] }

// isPlainIdent reports whether s can be written without quotes (ignoring reserved words).
func isPlainIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case i > 0 && (r == '$' || (r >= '0' && r <= '9')):
		default:
			return false
		}
	}
	return true
}

// niladic are the functions that may be called without parentheses.
var niladic = wordSet(`CURRENT_TIMESTAMP CURRENT_DATE CURRENT_TIME LOCALTIMESTAMP LOCALTIME CURRENT_ROW_TIMESTAMP`)

// IsNiladic reports whether name (any case) is a function that may be called without
// parentheses, e.g. CURRENT_TIMESTAMP. Such a word is always a call, never a column name,
// unless quoted.
func IsNiladic(name string) bool { return niladic[strings.ToUpper(name)] }

// specialSyntaxCall reports whether an ordinary call would be mistaken for a special syntactic
// form (EXTRACT(u FROM x), TRIM(...), FLOOR(x TO u), ...) if its name were printed unquoted.
func specialSyntaxCall(fc *FuncCall) bool {
	switch strings.ToUpper(fc.Name.Parts[0]) {
	case "EXTRACT", "POSITION", "TRIM", "DESCRIPTOR", "TRY_CAST", "ARRAY", "MAP", "MULTISET":
		return true
	case "FLOOR", "CEIL", "CEILING":
		return len(fc.Args) != 1 || fc.Distinct || fc.Star
	case "SUBSTRING":
		return len(fc.Args) == 0 || fc.Distinct || fc.Star
	}
	return false
}

// QuoteIdent renders one identifier part, with backticks (doubling embedded backticks) when
// it is not a plain identifier or is a Flink reserved word.
func QuoteIdent(s string) string {
	if isPlainIdent(s) && !IsReserved(s) && !IsNiladic(s) {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// quoteFuncName renders a function name part: only words the Floe parser cannot accept are
// quoted, so that COUNT(x) prints as COUNT(x).
func quoteFuncName(s string) string {
	if isPlainIdent(s) && !IsHardReserved(s) {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// QuoteString renders s as a single-quoted SQL string literal, doubling embedded quotes.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
