using Crm.Grains.Customers;

namespace Crm.Tests.Customers;

/// <summary>
/// The one form a customer's search column and a search query are compared in (<see cref="CustomerRow.Folded"/>); the
/// searches themselves run through the real server in <see cref="CustomerLifecycleTests"/>.
/// </summary>
public sealed class SearchFoldingTests
{
    [Theory]
    [InlineData("１３９００１３９０００", "13900139000")] // full-width digits, as a Chinese input method types them
    [InlineData("Ｆｕｌｌｗｉｄｔｈ", "fullwidth")]
    [InlineData("ＡＣＭＥ　Ｔｒａｄｉｎｇ（上海）", "acme trading(上海)")] // ideographic space, full-width brackets
    [InlineData("＋８６　１３９－００１３－９０００", "+86 139-0013-9000")]
    [InlineData("\u202a+7 912 345-67-89\u202c", "+7 912 345-67-89")] // direction marks of a number copied from iPhone contacts
    [InlineData("full\u200bwidth\ufeff", "fullwidth")]
    [InlineData("ООО «Ёлка»", "ооо «елка»")]
    [InlineData("Hangzhou Lianhe 13912345678", "hangzhou lianhe 13912345678")]
    public void A_query_and_the_search_column_are_folded_alike(string typed, string folded) =>
        Assert.Equal(folded, CustomerRow.Folded(typed));

    [Fact]
    public void A_row_stored_with_full_width_fields_searches_half_width()
    {
        var row = new CustomerRow { Id = "c-1", Name = "Ｗａｎｇ　Ｗｅｉ", Company = "杭州联合", Phone = "１３９　００１３　９０００", Stage = "lead", PoolId = "pool-1" };

        Assert.Contains("wang wei", row.Search);
        Assert.Contains("139 0013 9000", row.Search);
        // Its digits too, which a search by digits (a phone typed in another format) is compared with.
        Assert.Equal("13900139000", row.PhoneDigits);
        Assert.Contains(CustomerRow.Folded("１３９００１３９０００"), row.Search);
    }
}
