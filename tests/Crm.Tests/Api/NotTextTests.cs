using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.CustomFields;
using Crm.Grains.Deals;
using Crm.Grains.Notes;
using Crm.Tests.CustomFields;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;
using Crm.Tests.Notes;

namespace Crm.Tests.Api;

/// <summary>
/// A JSON string may escape half of a UTF-16 surrogate pair alone (<c>"\ud800"</c>): the body is well-formed JSON, the
/// value is no text. In a field of a type (a name) the body's reader refuses it; inside free-form JSON (note answers,
/// previews, the custom fields of customers and deals) it was read only by the bounds check, which threw: a 500. Each is
/// a 400 naming the value by its JSON path, as for any value the field does not take, and nothing is stored.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NotTextTests(ServerFixture fixture)
{
    private static readonly PerServer<Scene> Scenes = new(Scene.CreateAsync);

    /// <summary>A world with a customer of rep A, an open deal, a text custom field on each and a note template.</summary>
    private sealed record Scene(TestWorld World, CustomerDto Customer, DealDto Deal, string CustomerField, string DealField, string TemplateId)
    {
        public static async Task<Scene> CreateAsync(ServerProcess server)
        {
            var world = await TestWorld.CreateAsync(server);
            var (customerField, dealField) = (CustomFieldKit.FreshKey("remark"), CustomFieldKit.FreshKey("remark"));
            await world.Admin.DefineAsync("customer", customerField, "text");
            await world.Admin.DefineAsync("deal", dealField, "text");
            var template = (await world.Manager.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates",
                NoteTemplateBuilder.FirstVisit($"text-{Guid.NewGuid():N}"[..20]))).EnsureStatus(HttpStatusCode.Created).Value!;
            var customer = await world.OwnedLeadAsync();
            var deal = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal())).EnsureStatus(HttpStatusCode.Created).Value!;
            return new Scene(world, customer, deal, customerField, dealField, template.Id);
        }

        public string Fill(string text) => text
            .Replace("{customer}", Customer.Id.ToString())
            .Replace("{deal}", Deal.Id)
            .Replace("{pool}", World.PoolId)
            .Replace("{template}", TemplateId)
            .Replace("{field}", CustomerField)
            .Replace("{dealField}", DealField);
    }

    // Raw strings: the bodies hold the JSON escapes themselves (\ud800), not the characters.
    public static TheoryData<string, string, string, string> NotText => new()
    {
        { "POST", "/api/customers/{customer}/notes",
            """{"templateId":"{template}","answers":{"budget":"<100k","met_decision_maker":true,"remarks":"\ud800"}}""", "answers.remarks" },
        { "POST", "/api/note-templates/{template}/preview", """{"answers":{"remarks":"Met him \udc00"}}""", "answers.remarks" },
        { "POST", "/api/note-templates/preview",
            """{"template":{"name":"Visit","fields":[{"key":"remarks","label":"Remarks","type":"text"}],"body":"{{ remarks }}"},"answers":{"remarks":"\ud800"}}""",
            "answers.remarks" },
        { "POST", "/api/customers", """{"name":"Surrogate Co","poolId":"{pool}","customFields":{"{field}":"\ud800"}}""", "customFields.{field}" },
        // A pair the wrong way round is two halves alone.
        { "PUT", "/api/customers/{customer}/custom-fields", """{"customFields":{"{field}":"\udfff\ud800"}}""", "customFields.{field}" },
        { "PUT", "/api/customers/{customer}/custom-fields", """{"customFields":{"{field}":["fine","\ud800"]}}""", "customFields.{field}[1]" },
        // A name inside free-form JSON is read as text too.
        { "PUT", "/api/customers/{customer}/custom-fields", """{"customFields":{"{field}":{"\ud800":"x"}}}""", "customFields.{field}" },
        { "POST", "/api/customers/{customer}/deals",
            """{"title":"ERP rollout","amount":1000,"currency":"CNY","expectedCloseDate":"2026-06-30","customFields":{"{dealField}":"\ud800"}}""",
            "customFields.{dealField}" },
        { "PUT", "/api/deals/{deal}/custom-fields", """{"customFields":{"{dealField}":"\udbff"}}""", "customFields.{dealField}" },
        // A field of a type: refused while the body is read (it always was), named the same way.
        { "POST", "/api/customers", """{"name":"\ud800","poolId":"{pool}"}""", "name" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task Half_a_surrogate_pair_is_a_400_naming_the_value_never_a_500(string method, string path, string body, string field)
    {
        var scene = await Scenes.ForAsync(fixture.Server);

        var response = await scene.World.RepA.SendAsync<JsonElement>(new HttpMethod(method), scene.Fill(path), scene.Fill(body));

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{(int)response.Status}: {response.Body}");
        Assert.Equal([scene.Fill(field)], response.ErrorFields);
        Assert.Contains("not text", response.Body);
        Assert.DoesNotContain("System.", response.Body);
    }

    [Fact]
    public async Task Nothing_of_a_refused_body_is_stored()
    {
        var scene = await Scenes.ForAsync(fixture.Server);
        var customer = await scene.World.OwnedLeadAsync();

        var note = await scene.World.RepA.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{customer.Id}/notes",
            scene.Fill("""{"templateId":"{template}","answers":{"budget":"<100k","met_decision_maker":true,"remarks":"\ud800"}}"""));
        var fields = await scene.World.RepA.SendAsync<JsonElement>(HttpMethod.Put, $"/api/customers/{customer.Id}/custom-fields",
            scene.Fill("""{"customFields":{"{field}":"\ud800"}}"""));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (note.Status, fields.Status));
        var notes = (await scene.World.RepA.SendAsync<NotePage>(HttpMethod.Get, $"/api/customers/{customer.Id}/notes")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Empty(notes.Items);
        var read = (await scene.World.RepA.GetCustomerAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Null(read.CustomFields.Text(scene.CustomerField));
    }

    /// <summary>Bytes that are not UTF-8 inside a string of free-form JSON are no text either (the reader threw the same way).</summary>
    [Fact]
    public async Task A_string_of_bytes_that_are_not_utf8_is_a_400_naming_the_value()
    {
        var scene = await Scenes.ForAsync(fixture.Server);
        using var http = new HttpClient { BaseAddress = scene.World.RepA.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", scene.World.RepA.Token);
        byte[] body = [.. Encoding.UTF8.GetBytes(scene.Fill("""{"customFields":{"{field}":"ab""")), 0xFF, 0xC3, .. "\"}}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.PutAsync($"/api/customers/{scene.Customer.Id}/custom-fields", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal([$"customFields.{scene.CustomerField}"], errors.EnumerateObject().Select(e => e.Name));
    }

    /// <summary>The readers behind the bounds check (the customer grain reads custom fields again) refuse such a value themselves.</summary>
    [Fact]
    public void The_custom_field_and_note_answer_readers_refuse_it_by_name_too()
    {
        var remark = new CustomFieldDefinition(CustomFieldEntity.Customer, "remark", new LocalizedText(null, "Remark", null), CustomFieldType.Text,
            false, [], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var tier = remark with { Key = "tier", Type = CustomFieldType.MultiChoice, Options = ["gold"] };
        var errors = new List<string>();

        CustomFieldRules.Read([remark, tier], Values("""{"remark":"\ud800","tier":["gold","\udc00"]}"""), (field, _) => errors.Add(field));
        var (answers, answerErrors) = NoteAnswerValidator.Validate(NoteTemplateBuilder.FirstVisit().Fields!,
            Values("""{"budget":"\ud800","met_decision_maker":true,"interests":["CRM","\ud800"],"next_follow_up":"\udc00","remarks":"\ud800"}"""));

        Assert.Equal(["customFields.remark", "customFields.tier"], errors.Order());
        Assert.Null(answers);
        Assert.Equal(["answers.budget", "answers.interests", "answers.next_follow_up", "answers.remarks"], answerErrors.Keys.Order());
    }

    private static Dictionary<string, JsonElement> Values(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
