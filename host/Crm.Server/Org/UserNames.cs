using System.Text;

namespace Crm.Server.Org;

/// <summary>
/// How user names compare (the <c>users.user_name_key</c> column, the sign-in lookup and its lockout): trimmed,
/// NFKC-normalised and lower-cased, so names that only differ by case or by full-width forms ("ｗａｎｇ", "WANG",
/// "wang") are one name. Users keep the name as it was given; only the key is folded.
/// </summary>
public static class UserNames
{
    public static string Key(string userName) => Nfkc(userName.Trim()).Trim().ToLowerInvariant();

    /// <summary>The key as it was stored before names were NFKC-folded: trimmed and lower-cased.</summary>
    public static string UnfoldedKey(string userName) => userName.Trim().ToLowerInvariant();

    // A string that is no text (half of a surrogate pair) cannot be normalised: it is compared as it is.
    private static string Nfkc(string value)
    {
        try
        {
            return value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return value;
        }
    }
}
