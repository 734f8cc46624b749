using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>Duplicates at entry, checks, imports and merges over HTTP against the real server, which loads the standard plugin from its folder.</summary>
[Collection(ServerCollection.Name)]
public sealed class DedupApiTests(ServerFixture fixture)
{
    private static PoolRules Rules(string action, Dictionary<string, string>? actions = null) =>
        new() { Dedup = new DedupRule(["identity-keys", "company-name"], action) { Actions = actions } };

    private static string Mobile() => "137" + Random.Shared.Next(10_000_000, 99_999_999);

    private static string Brand() => string.Concat(Guid.NewGuid().ToString("N")[..5].Select(c => (char)('甲' + c % 40)));

    [Fact]
    public async Task A_duplicate_lead_is_refused_with_409_naming_the_customer_its_owner_and_the_key()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var phone = Mobile();
        var first = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"上海{Brand()}贸易有限公司", phone, PoolId: world.PoolId, OwnerId: world.RepA.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var again = await world.RepB.CreateCustomerAsync(new CreateCustomerRequest("Wang", "Another Name Ltd", $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}", PoolId: world.PoolId));

        again.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal("duplicate", again.Code);
        var problem = again.Problem!.Value;
        Assert.Equal([first.Id], problem.GetProperty("customerIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal($"phone:+86{phone}", problem.GetProperty("matchedKey").GetString());
        var match = problem.GetProperty("matches")[0];
        // Rep B may not see rep A's customer: the match keeps its id and key, not its name or owner (docs/security.md).
        Assert.Equal(JsonValueKind.Null, match.GetProperty("ownerId").ValueKind);
        Assert.Equal(JsonValueKind.Null, match.GetProperty("customerName").ValueKind);
        Assert.Equal("strong", match.GetProperty("strength").GetString());
        var asManager = await world.Manager.CreateCustomerAsync(new CreateCustomerRequest("Wang", "Another Name Ltd", phone, PoolId: world.PoolId));
        var seen = asManager.EnsureStatus(HttpStatusCode.Conflict).Problem!.Value.GetProperty("matches")[0];
        Assert.Equal(world.RepA.UserId, seen.GetProperty("ownerId").GetString());
        Assert.StartsWith("REPA-", seen.GetProperty("ownerName").GetString());
    }

    [Fact]
    public async Task A_phone_typed_in_full_width_digits_is_accepted_stored_plain_and_matched()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var phone = Mobile();
        static string FullWidth(string s) => new(s.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c).ToArray());
        var first = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"上海{Brand()}贸易有限公司", phone, PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        // What a Chinese input method types: full-width digits, dashes and brackets.
        var typed = FullWidth($"(86){phone[..3]}-{phone[3..7]}-{phone[7..]}");
        var check = (await world.RepA.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest("Wang", null, typed, PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.OK).Value!;
        var again = await world.RepB.CreateCustomerAsync(new CreateCustomerRequest("Wang", null, typed, PoolId: world.PoolId));
        var fresh = (await world.RepB.CreateCustomerAsync(new CreateCustomerRequest("Zhao", null, FullWidth(Mobile()), PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Equal(first.Id, Assert.Single(check.Matches).CustomerId);
        again.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal($"phone:+86{phone}", again.Problem!.Value.GetProperty("matchedKey").GetString());
        Assert.All(fresh.Phone!, c => Assert.True(c < 128, $"stored '{fresh.Phone}' is not plain ASCII"));
    }

    [Fact]
    public async Task Contact_values_as_people_type_them_are_created_in_one_form_and_a_placeholder_phone_makes_no_duplicates()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var landline = Random.Shared.Next(20_000_000, 89_999_999).ToString();
        var mailbox = Guid.NewGuid().ToString("N")[..12];

        var first = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Wang\u001bWei", $"{Brand()}\u0001\u0007科技有限公司",
            $"010-{landline}转8001", $"Wang Wei <mailto:{mailbox}@x.com>", "暂无", "Road 1\r\nBuilding 2\u0000", PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.Created).Value!;
        var placeholderA = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li", $"{Brand()}贸易有限公司", "00000000", PoolId: world.PoolId));
        var placeholderB = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Zhao", $"{Brand()}物流有限公司", "00000000", PoolId: world.PoolId));
        var samePhone = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Sun", null, $"+86 10 {landline}", PoolId: world.PoolId));

        Assert.Equal($"010-{landline} ext. 8001", first.Phone);
        Assert.Equal($"{mailbox}@x.com", first.Email);
        Assert.Null(first.TaxId);
        Assert.Equal("WangWei", first.Name);
        Assert.DoesNotContain(first.Company!, char.IsControl);
        Assert.Equal("Road 1\nBuilding 2", first.Address);
        Assert.Equal("00000000", placeholderA.EnsureStatus(HttpStatusCode.Created).Value!.Phone);
        placeholderB.EnsureStatus(HttpStatusCode.Created);
        Assert.Equal($"phone:+8610{landline}", samePhone.EnsureStatus(HttpStatusCode.Conflict).Problem!.Value.GetProperty("matchedKey").GetString());
    }

    /// <summary>
    /// Invisible format characters pasted with a value (a zero-width space from a web page, the direction marks iPhone
    /// contacts put around a copied number, a byte-order mark from a second CSV appended to the first) are dropped on
    /// create, check and import: they neither hide a duplicate nor make a real phone "not a phone", and are not stored.
    /// </summary>
    [Fact]
    public async Task Invisible_characters_pasted_with_a_value_neither_hide_a_duplicate_nor_refuse_a_phone_and_are_not_stored()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var mailbox = $"foo.bar.{Guid.NewGuid().ToString("N")[..10]}@example.com";
        var first = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"上海{Brand()}贸易有限公司", null, mailbox, PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var check = (await world.RepA.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest("Wang", null, null, "\u200b" + mailbox, PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.OK).Value!;
        var again = await world.RepB.CreateCustomerAsync(new CreateCustomerRequest("Wang", null, null, "\u200b" + mailbox, PoolId: world.PoolId));

        Assert.True(check.Duplicate);
        Assert.Equal(first.Id, Assert.Single(check.Matches).CustomerId);
        again.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal($"email:{mailbox}", again.Problem!.Value.GetProperty("matchedKey").GetString());

        // A Russian mobile as iPhone contacts copy it: LTR embedding ... pop directional formatting.
        var number = Random.Shared.Next(1_000_000, 9_999_999).ToString();
        var typed = $"\u202a+7 912 {number[..3]}-{number[3..5]}-{number[5..]}\u202c";
        var marked = await world.RepA.CreateCustomerAsync(new CreateCustomerRequest("\ufeffPetrov\u200b Ivan", null, typed, PoolId: world.PoolId));
        var plain = await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Sidorov", null, $"8 (912) {number[..3]}-{number[3..5]}-{number[5..]}", PoolId: world.PoolId));

        var stored = marked.EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal($"+7 912 {number[..3]}-{number[3..5]}-{number[5..]}", stored.Phone);
        Assert.Equal("Petrov Ivan", stored.Name);
        Assert.Equal($"phone:+7912{number}", plain.EnsureStatus(HttpStatusCode.Conflict).Problem!.Value.GetProperty("matchedKey").GetString());

        // Two CSVs appended: the second one's byte-order mark starts a line; a pasted e-mail carries a zero-width space.
        var brand = Brand();
        byte[] csv = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"公司名称,联系人,手机,邮箱\r\n上海{Brand()}科技有限公司,王经理,{Mobile()},\u200b{mailbox}\r\n"),
            0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{brand}贸易有限公司,\u200e李娜\u200f,{Mobile()},\r\n")];
        var import = await ImportAsync(world.Manager, world.PoolId, csv, "text/csv", null);

        Assert.Equal(["duplicate", "created"], import.Rows.Select(r => r.Status));
        Assert.Equal(first.Id, import.Rows[0].DuplicateOf.Single().CustomerId);
        var imported = (await world.Admin.GetCustomerAsync(import.Rows[1].CustomerId!.Value)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal($"{brand}贸易有限公司", imported.Company);
        Assert.Equal("李娜", imported.Name);
    }

    [Fact]
    public async Task A_flagged_lead_is_created_and_DuplicateFlagged_reaches_the_owner_of_the_first()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("flag"));
        var brand = Brand();
        var first = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"上海{brand}贸易有限公司", PoolId: world.PoolId, OwnerId: world.RepA.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        await using var repA = await EventRecorder.ConnectAsync(world.RepA);

        var second = (await world.RepB.CreateCustomerAsync(new CreateCustomerRequest("Wang", $"{brand}贸易（上海）有限公司北京分公司", PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var flagged = await repA.WaitForAsync<DuplicateFlagged>(first.Id);
        Assert.Equal([second.Id], flagged.DuplicateOf);
        Assert.StartsWith("company-name:", flagged.MatchedKey);
        var timeline = (await world.Manager.TimelineAsync(second.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains(timeline, e => e.Kind == "duplicate-flagged" && e.Data["duplicateOf"] == first.Id.ToString());
    }

    [Fact]
    public async Task Check_answers_whether_and_of_whom_without_creating_anything()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block", new() { ["weak"] = "flag" }));
        var first = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", "Shanghai Quantoria Trading Co., Ltd.", TaxId: "91350100M000100Y43", PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var check = (await world.RepA.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest("Zhang", "QUANTORIA TRADING CO.,LTD", TaxId: "9135 0100 M000 100Y 43", PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.OK).Value!;
        var clean = (await world.RepA.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest("Zhang", "Entirely Different Works Ltd", PoolId: world.PoolId))).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.True(check.Duplicate);
        Assert.Equal("block", check.Action);
        var match = Assert.Single(check.Matches);
        Assert.Equal((first.Id, "uscc", "exact"), (match.CustomerId, match.KeyKind, match.Strength));
        Assert.True(check.Complete && clean.Complete, "every strategy answered");
        Assert.Empty(clean.UnavailableStrategies!);
        Assert.False(clean.Duplicate);
        Assert.Equal(1, (await world.Admin.SearchAsync($"poolId={world.PoolId}")).Value!.Total);
    }

    [Fact]
    public async Task Ten_identical_leads_posted_at_once_make_one_customer()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var lead = new CreateCustomerRequest("Li Wei", $"深圳{Brand()}电子有限公司", Mobile(), PoolId: world.PoolId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => world.Admin.CreateCustomerAsync(lead)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Equal("duplicate", a.Code));
        Assert.Equal(1, (await world.Admin.SearchAsync($"poolId={world.PoolId}")).Value!.Total);
    }

    [Fact]
    public async Task An_import_answers_per_row_and_a_retry_with_the_same_key_neither_loses_nor_doubles_a_row()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var existing = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", "Existing Co", "13900001111", PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var brand = Brand();
        var csv = $"""
            公司名称,联系人,手机,邮箱
            上海{brand}贸易有限公司,王经理,{Mobile()},wang@example.com
            Another Trading Co,Li,+86 139 0000 1111,
            {brand}贸易（上海）有限公司,Zhang,,
            ,,,not-an-email
            Fine Goods Ltd,Chen,,chen@example.com
            """;

        var first = await ImportAsync(world.Manager, world.PoolId, Encoding.UTF8.GetBytes(csv), "text/csv", "import-1");
        var retry = await ImportAsync(world.Manager, world.PoolId, Encoding.UTF8.GetBytes(csv), "text/csv", "import-1");

        Assert.Equal(["created", "duplicate", "duplicate", "rejected", "created"], first.Rows.Select(r => r.Status));
        Assert.Equal([2, 3, 4, 5, 6], first.Rows.Select(r => r.Row));
        Assert.Equal(existing.Id, first.Rows[1].DuplicateOf.Single().CustomerId);
        Assert.Equal("phone", first.Rows[1].DuplicateOf.Single().KeyKind);
        Assert.Equal(2, first.Rows[2].DuplicateOf.Single().Row);
        Assert.Contains("name", first.Rows[3].Errors!.Keys);
        Assert.Equal(first.Rows.Select(r => (r.Status, r.CustomerId)), retry.Rows.Select(r => (r.Status, r.CustomerId)));
        Assert.Equal(3, (await world.Admin.SearchAsync($"poolId={world.PoolId}")).Value!.Total);
    }

    /// <summary>Keys are the caller's own: another user sending the same file with the same key makes a new import, not a replay.</summary>
    [Fact]
    public async Task Another_user_with_the_same_key_and_file_gets_an_import_of_its_own()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var key = $"import-{Guid.NewGuid():N}";
        var file = Encoding.UTF8.GetBytes($"company,phone\nKeyed File Co,{Mobile()}\nKeyed File Two Co,{Mobile()}\n");

        var managers = await ImportAsync(world.Manager, world.PoolId, file, "text/csv", key);
        var admins = await ImportAsync(world.Admin, world.PoolId, file, "text/csv", key);

        Assert.Equal(["created", "created"], managers.Rows.Select(r => r.Status));
        Assert.NotEqual(managers.ImportId, admins.ImportId);
        Assert.Equal(["duplicate", "duplicate"], admins.Rows.Select(r => r.Status)); // the manager's rows, found as any duplicate is
        Assert.Equal(managers.Rows.Select(r => r.CustomerId), admins.Rows.Select(r => (Guid?)r.DuplicateOf.Single().CustomerId));
        Assert.Equal(2, (await world.Admin.SearchAsync($"poolId={world.PoolId}")).Value!.Total);
    }

    [Fact]
    public async Task The_same_key_sent_with_another_file_is_refused_with_422_and_imports_nothing_of_it()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var key = $"import-{Guid.NewGuid():N}";
        var first = Encoding.UTF8.GetBytes($"company,phone\nFirst File Co,{Mobile()}\n");
        var other = Encoding.UTF8.GetBytes($"company,phone\nOther File Co,{Mobile()}\nOther File Two Co,{Mobile()}\n");
        var created = await ImportAsync(world.Manager, world.PoolId, first, "text/csv", key);

        using var http = Client(world.Manager);
        using var reused = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/import?poolId={world.PoolId}") { Content = new ByteArrayContent(other) };
        reused.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        reused.Headers.Add("Idempotency-Key", key);
        var refused = await http.SendAsync(reused);
        var retry = await ImportAsync(world.Manager, world.PoolId, first, "text/csv", key);

        // The same bytes under another charset are other rows: another request too.
        using var recoded = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/import?poolId={world.PoolId}") { Content = new ByteArrayContent(first) };
        recoded.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv; charset=windows-1251");
        recoded.Headers.Add("Idempotency-Key", key);
        var recodedAnswer = await http.SendAsync(recoded);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(ErrorCodes.IdempotencyKeyReused, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, recodedAnswer.StatusCode);
        Assert.Equal(created.Rows.Select(r => (r.Status, r.CustomerId)), retry.Rows.Select(r => (r.Status, r.CustomerId)));
        Assert.Equal(1, (await world.Admin.SearchAsync($"poolId={world.PoolId}")).Value!.Total);
    }

    [Fact]
    public async Task An_imported_lead_flagged_as_a_possible_duplicate_is_flagged_on_both_sides_and_its_owner_is_told_once()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("flag"));
        var brand = Brand();
        var existing = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"上海{brand}贸易有限公司", PoolId: world.PoolId, OwnerId: world.RepA.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        await using var repA = await EventRecorder.ConnectAsync(world.RepA);
        // Row 2 resembles the existing customer; row 3 resembles row 2 only (another brand, same as row 2's second one);
        // row 4 resembles no one.
        var other = Brand();
        var csv = $"""
            公司名称,联系人
            {brand}贸易（上海）有限公司北京分公司,王经理
            杭州{other}科技有限公司,张先生
            {other}科技（杭州）有限公司,赵女士
            Unrelated {Guid.NewGuid():N} Works Ltd,Chen
            """;

        var report = await ImportAsync(world.Manager, world.PoolId, Encoding.UTF8.GetBytes(csv), "text/csv", "flags-1");

        Assert.Equal(["created", "created", "created", "created"], report.Rows.Select(r => r.Status));
        var (lead, second, third) = (report.Rows[0].CustomerId!.Value, report.Rows[1].CustomerId!.Value, report.Rows[2].CustomerId!.Value);
        Assert.Equal(existing.Id, Assert.Single(report.Rows[0].DuplicateOf).CustomerId);
        Assert.Equal(3, Assert.Single(report.Rows[2].DuplicateOf).Row);
        Assert.Empty(report.Rows[3].DuplicateOf);

        // Each side of each flagged pair carries the flag on its timeline, once; the lead's comes right after its creation.
        async Task<List<string>> FlaggedAgainst(Guid id) => (await world.Manager.TimelineAsync(id)).EnsureStatus(HttpStatusCode.OK).Value!
            .Where(e => e.Kind == "duplicate-flagged").Select(e => e.Data["duplicateOf"]!).ToList();
        Assert.Equal([existing.Id.ToString()], await FlaggedAgainst(lead));
        Assert.Equal([lead.ToString()], await FlaggedAgainst(existing.Id));
        Assert.Equal([third.ToString()], await FlaggedAgainst(second));
        Assert.Equal([second.ToString()], await FlaggedAgainst(third));
        Assert.Empty(await FlaggedAgainst(report.Rows[3].CustomerId!.Value));

        // The existing customer's owner hears of it; the stored creations left nothing in the outbox for the sweep to
        // deliver again.
        var flagged = await repA.WaitForAsync<DuplicateFlagged>(existing.Id);
        Assert.Equal([lead], flagged.DuplicateOf);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(fixture.Server.DataDirectory, "crm.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var left = connection.CreateCommand();
        left.CommandText = "SELECT count(*) FROM customer_outbox WHERE customer_id IN ($a, $b, $c)";
        left.Parameters.AddWithValue("$a", lead.ToString());
        left.Parameters.AddWithValue("$b", second.ToString());
        left.Parameters.AddWithValue("$c", third.ToString());
        Assert.Equal(0L, (long)(await left.ExecuteScalarAsync())!);

        // Sent again with its key, every row is answered as the first time, its flags included (row 3's flag against
        // row 4 is row 4's answer, not row 3's), and no customer is flagged twice.
        var retry = await ImportAsync(world.Manager, world.PoolId, Encoding.UTF8.GetBytes(csv), "text/csv", "flags-1");
        Assert.Equal(Answers(report), Answers(retry));
        Assert.Equal([existing.Id.ToString()], await FlaggedAgainst(lead));
        Assert.Equal([lead.ToString()], await FlaggedAgainst(existing.Id));
        Assert.Equal([third.ToString()], await FlaggedAgainst(second));
        Assert.Equal([second.ToString()], await FlaggedAgainst(third));
    }

    /// <summary>Each row's answer as text, its flags in full (customer, row, key, strength, score).</summary>
    private static List<string> Answers(ImportReport report) =>
        report.Rows.Select(r => $"{r.Row} {r.Status} {r.CustomerId} [{string.Join("; ", r.DuplicateOf)}]").ToList();

    [Fact]
    public async Task An_import_running_rows_at_once_still_decides_the_files_own_duplicates_in_file_order()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        // Adjacent pairs share a mobile, so both rows of a pair are in flight together; the earlier must win every time.
        var pairs = Enumerable.Range(0, 150).Select(i => (Phone: Mobile(), A: $"Pairwise {Guid.NewGuid():N} Ltd", B: $"Other {Guid.NewGuid():N} Co")).ToList();
        var csv = "company,phone\n" + string.Join("\n", pairs.Select(p => $"{p.A},{p.Phone}\n{p.B},{p.Phone}"));

        var report = await ImportAsync(world.Manager, world.PoolId, Encoding.UTF8.GetBytes(csv), "text/csv", null);

        Assert.Equal(Enumerable.Range(2, 300), report.Rows.Select(r => r.Row));
        for (var i = 0; i < report.Rows.Count; i += 2)
        {
            var (earlier, later) = (report.Rows[i], report.Rows[i + 1]);
            Assert.Equal("created", earlier.Status);
            Assert.Equal("duplicate", later.Status);
            Assert.Equal(earlier.Row, later.DuplicateOf.Single().Row);
            Assert.Equal(earlier.CustomerId, later.DuplicateOf.Single().CustomerId);
        }

        Assert.Equal((150, 150, 0), (report.Created, report.Duplicates, report.Rejected));
    }

    [Fact]
    public async Task A_row_whose_only_match_in_the_file_was_blocked_is_created_as_one_row_after_another_would_decide()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        // Per group: row a repeats an existing customer's mobile (blocked) and carries a new e-mail; row b shares only that
        // e-mail, with row a, which was not stored, so b is new; row c shares it with b, which was: c is b's duplicate.
        // Rows are compared in parallel first (as if every earlier row were stored), so b is the case that must be redone.
        var groups = new List<(Guid Existing, string Email)>();
        var csv = new StringBuilder("company,phone,email\n");
        for (var k = 0; k < 40; k++)
        {
            var phone = Mobile();
            var existing = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"Existing {Guid.NewGuid():N} Co", phone, PoolId: world.PoolId)))
                .EnsureStatus(HttpStatusCode.Created).Value!;
            var email = $"buyer.{Guid.NewGuid():N}@example.com";
            groups.Add((existing.Id, email));
            csv.Append($"Alpha {Guid.NewGuid():N} Ltd,{phone},{email}\n")
                .Append($"Bravo {Guid.NewGuid():N} Ltd,,{email}\n")
                .Append($"Charlie {Guid.NewGuid():N} Ltd,,{email}\n");
        }

        var report = await ImportAsync(world.Manager, world.PoolId, Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", null);

        Assert.Equal(Enumerable.Range(2, 120), report.Rows.Select(r => r.Row));
        for (var k = 0; k < groups.Count; k++)
        {
            var (a, b, c) = (report.Rows[3 * k], report.Rows[3 * k + 1], report.Rows[3 * k + 2]);
            Assert.Equal(("duplicate", groups[k].Existing), (a.Status, a.DuplicateOf.Single().CustomerId));
            Assert.Equal(("created", 0), (b.Status, b.DuplicateOf.Count));
            Assert.Equal(("duplicate", (int?)b.Row, b.CustomerId), (c.Status, c.DuplicateOf.Single().Row, (Guid?)c.DuplicateOf.Single().CustomerId));
        }

        Assert.Equal((40, 80, 0), (report.Created, report.Duplicates, report.Rejected));
    }

    [Fact]
    public async Task An_xlsx_import_with_a_column_mapping_creates_its_rows_and_pushes_progress()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("block"));
        var rows = Enumerable.Range(0, 150).Select(i => new Dictionary<string, object>
        {
            ["Firma"] = $"Xlsx Works {Guid.NewGuid():N} Ltd",
            ["Tel"] = Mobile(),
        }).ToList();
        using var file = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(file, rows);
        await using var manager = await EventRecorder.ConnectAsync(world.Manager);

        var report = await ImportAsync(world.Manager, world.PoolId, file.ToArray(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", null, """{"company":"Firma","phone":"Tel"}""");

        Assert.Equal(150, report.Created);
        Assert.All(report.Rows, r => Assert.NotNull(r.CustomerId));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!manager.Events.Any(e => e.Name == nameof(ImportProgress) && e.Payload.GetProperty("processed").GetInt32() == 150) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(manager.Events, e => e.Name == nameof(ImportProgress) && e.Payload.GetProperty("processed").GetInt32() == 150);
    }

    [Fact]
    public async Task An_import_with_a_mapping_to_a_missing_column_is_refused_with_the_field()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        using var http = Client(world.Manager);
        var response = await http.PostAsync($"/api/customers/import?poolId={world.PoolId}&mapping={Uri.EscapeDataString("""{"phone":"Mobile"}""")}",
            new ByteArrayContent(Encoding.UTF8.GetBytes("company,tel\nAcme,1\n")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mapping.phone", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A merge carries no deals over: a duplicate with deals is refused, and merging the other way round keeps them.</summary>
    [Fact]
    public async Task A_duplicate_with_deals_is_not_merged_away_and_the_other_way_round_keeps_its_deals()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("allow"));
        var plain = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"{Brand()} Plain Ltd", PoolId: world.PoolId))).Value!;
        var withDeal = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li W.", $"{Brand()} Deal Ltd", Mobile(), PoolId: world.PoolId,
            OwnerId: world.RepB.UserId))).Value!;
        var deal = (await world.RepB.OpenDealAsync(withDeal.Id, new CreateDealRequest("Pilot licence", 120_000m, "CNY", new DateOnly(2031, 6, 30))))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var refused = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{plain.Id}/merge", new MergeRequest(withDeal.Id, "same company"));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.HasDeals), (refused.Status, refused.Code));
        (await world.Manager.GetCustomerAsync(withDeal.Id)).EnsureStatus(HttpStatusCode.OK); // not an alias

        (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{withDeal.Id}/merge", new MergeRequest(plain.Id, "same company")))
            .EnsureStatus(HttpStatusCode.OK);
        (await world.Manager.SendAsync<JsonElement>(HttpMethod.Get, $"/api/deals/{deal.Id}")).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_merged_customer_redirects_to_the_survivor_which_keeps_both_histories()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("allow"));
        var phone = Mobile();
        var survivor = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li Wei", $"{Brand()} Survivor Ltd", PoolId: world.PoolId))).Value!;
        var duplicate = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Li W.", $"{Brand()} Dup Ltd", phone, PoolId: world.PoolId, OwnerId: world.RepB.UserId))).Value!;
        (await world.RepB.FollowUpAsync(duplicate.Id, FollowUpType.Call, "no answer")).EnsureStatus(HttpStatusCode.Created);

        var merged = await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{survivor.Id}/merge", new MergeRequest(duplicate.Id, "same company"));

        merged.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(phone, merged.Value!.Phone);
        using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = world.Manager.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.Manager.Token);
            var alias = await http.GetAsync($"/api/customers/{duplicate.Id}");
            Assert.Equal(HttpStatusCode.PermanentRedirect, alias.StatusCode);
            Assert.Equal($"/api/customers/{survivor.Id}", alias.Headers.Location!.OriginalString);
        }

        var timeline = (await world.Manager.TimelineAsync(survivor.Id)).Value!;
        Assert.Contains(timeline, e => e.Kind == "follow-up" && e.Data["mergedFrom"] == duplicate.Id.ToString());
        Assert.Contains(timeline, e => e.Kind == "merged");
        var check = (await world.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check",
            new CreateCustomerRequest("X", Phone: phone, PoolId: world.PoolId))).Value!;
        Assert.True(check.Matches.Select(m => m.CustomerId).SequenceEqual([survivor.Id]), string.Join(" | ", check.Matches.Select(m => $"{m.CustomerId} {m.KeyKind}")) + $" survivor {survivor.Id} dup {duplicate.Id} " + (await world.Manager.GetAsync($"/api/customers/{survivor.Id}")).Body);
        Assert.Equal("merged", (await world.RepB.FollowUpAsync(duplicate.Id, FollowUpType.Call, "again")).Code);
    }

    private static HttpClient Client(CrmApi user)
    {
        var http = new HttpClient { BaseAddress = user.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return http;
    }

    private static async Task<ImportReport> ImportAsync(CrmApi user, string poolId, byte[] file, string contentType, string? key, string? mapping = null)
    {
        using var http = Client(user);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/api/customers/import?poolId={poolId}" + (mapping is null ? "" : $"&mapping={Uri.EscapeDataString(mapping)}")) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<ImportReport>(body, CrmApi.Json)!;
    }
}
