/* k8s_names: validation of Kubernetes object names and label values (see k8s_names.h). */
#include "k8s/k8s_names.h"

#include <string.h>

static bool is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool label_span(const char *s, size_t len)
{
    if (len == 0 || len > 63 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[len - 1]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_lower_alnum(s[i]) && s[i] != '-')
            return false;
    return true;
}

bool k8s_is_dns1123_label(const char *s)
{
    return s && label_span(s, strlen(s));
}

bool k8s_is_dns1035_label(const char *s)
{
    return k8s_is_dns1123_label(s) && s[0] >= 'a' && s[0] <= 'z';
}

bool k8s_is_dns1123_subdomain(const char *s)
{
    if (!s || strlen(s) > 253)
        return false;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (!label_span(s, len))
            return false;
        if (!dot)
            return true;
        s = dot + 1;
    }
}

bool k8s_is_label_value(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (!s || len > 63)
        return false;
    if (len == 0)
        return true;
    if (!is_alnum(s[0]) || !is_alnum(s[len - 1]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

bool k8s_is_qualified_name(const char *s)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!s)
        return false;
    if (slash) {
        char prefix[254];
        size_t n = (size_t)(slash - s);
        if (n == 0 || n >= sizeof prefix)
            return false;
        memcpy(prefix, s, n);
        prefix[n] = '\0';
        if (!k8s_is_dns1123_subdomain(prefix))
            return false;
        s = slash + 1;
    }
    return *s && k8s_is_label_value(s); /* same alphabet and length as a label value */
}
