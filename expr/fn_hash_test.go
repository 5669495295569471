package expr

import (
	"testing"

	"github.com/floedb/floe/types"
)

func TestHashFunctions(t *testing.T) {
	runCases(t, utcCtx(), []fcase{
		c("MD5", "d41d8cd98f00b204e9800998ecf8427e", aStr("")),
		c("MD5", "900150983cd24fb0d6963f7d28e17f72", aStr("abc")),
		c("MD5", "900150983cd24fb0d6963f7d28e17f72", aTyped(types.BytesType, aStr("abc").d)),
		c("SHA1", "a9993e364706816aba3e25717850c26c9cd0d89d", aStr("abc")),
		c("SHA224", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", aStr("abc")),
		c("SHA256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", aStr("abc")),
		c("SHA384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", aStr("abc")),
		c("SHA512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", aStr("abc")),
		c("SHA2", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", aStr("abc"), lit(aInt(256))),
		c("SHA2", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", aStr("abc"), aInt(224)),
		c("SHA2", "null", aStr("abc"), aInt(100)),
	})
	wantErr(t, "SHA2", "unsupported hash length 100", aStr("abc"), lit(aInt(100)))
	wantErr(t, "MD5", "MD5 expects (STRING), got (INT)", aInt(1))
}
