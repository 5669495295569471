package expr

// Message digests: MD5, SHA1, SHA224, SHA256, SHA384, SHA512 and SHA2(s, bits), each returning
// the lower-case hexadecimal digest of the UTF-8 bytes of a string (or of BYTES), as Flink.

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// hfNewHash returns the constructor of the digest SHA2 names by its bit length.
func hfSHA2(bits int64) func() hash.Hash {
	switch bits {
	case 224:
		return sha256.New224
	case 256:
		return sha256.New
	case 384:
		return sha512.New384
	case 512:
		return sha512.New
	}
	return nil
}

// hfDigestKernel hashes args[0] with h; one hash state and buffer serve all rows.
func hfDigestKernel(result types.Type, newHash func() hash.Hash) Kernel {
	h := newHash()
	var sum []byte
	var hexBuf []byte
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := make([]string, n)
		for i, s := range args[0].Str[:n] {
			if args[0].IsNull(i) {
				continue
			}
			h.Reset()
			h.Write([]byte(s))
			sum = h.Sum(sum[:0])
			if cap(hexBuf) < 2*len(sum) {
				hexBuf = make([]byte, 2*len(sum))
			}
			hexBuf = hexBuf[:2*len(sum)]
			hex.Encode(hexBuf, sum)
			out[i] = string(hexBuf)
		}
		return sfStrVec(result, out, nil), nil
	}
}

func hfRegister(name string, newHash func() hash.Hash) {
	register(&Function{
		Name:          name,
		Deterministic: true,
		Check:         sfSimple(name+" expects (STRING)", types.StringType, 1, false, sfStrBytes),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return hfDigestKernel(result, newHash), nil
		},
	})
}

func init() {
	hfRegister("MD5", md5.New)
	hfRegister("SHA1", sha1.New)
	hfRegister("SHA224", sha256.New224)
	hfRegister("SHA256", sha256.New)
	hfRegister("SHA384", sha512.New384)
	hfRegister("SHA512", sha512.New)

	register(&Function{
		Name:          "SHA2",
		Deterministic: true,
		NullSafe:      true,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			params, err := sfCheckArgs("SHA2 expects (STRING, INT)", args, 2, false, sfStrBytes, sfInt)
			if err != nil {
				return nil, types.Type{}, err
			}
			return params, sfResult(types.StringType, params, true), nil
		},
		Make: func(_ []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			if bits, ok := sfConstInt(consts, 1); ok {
				newHash := hfSHA2(bits)
				if newHash == nil {
					return nil, fmt.Errorf("SHA2: unsupported hash length %d (want 224, 256, 384 or 512)", bits)
				}
				inner := hfDigestKernel(result, newHash)
				return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
					v, err := inner(ctx, args, n)
					if err != nil {
						return nil, err
					}
					v.Nulls = sfNullMask(args, n)
					return v, nil
				}, nil
			}
			kernels := map[int64]Kernel{}
			return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					bits := args[1].I64[i]
					k, ok := kernels[bits]
					if !ok {
						if newHash := hfSHA2(bits); newHash != nil {
							k = hfDigestKernel(result, newHash)
						}
						kernels[bits] = k
					}
					if k == nil {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					one := &chunk.Vector{Type: args[0].Type, Str: args[0].Str[i : i+1]}
					v, err := k(ctx, []*chunk.Vector{one}, 1)
					if err != nil {
						return nil, err
					}
					out[i] = v.Str[0]
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})
}
