import { describe, expect, it } from "vitest";
import { consultFieldOf, emptyConsultForm, validateConsultForm, type ConsultForm } from "./consultForm";

function form(partial: Partial<ConsultForm>): ConsultForm {
  return { ...emptyConsultForm("2025-01-13"), clientIds: ["c1"], time: "9:30", ...partial };
}

describe("emptyConsultForm", () => {
  it("starts today, 50 minutes, video, not repeating", () => {
    const empty = emptyConsultForm("2025-01-13");
    expect(empty.date).toBe("13-01-2025");
    expect(empty.durationMinutes).toBe("50");
    expect(empty.kind).toBe("video");
    expect(empty.recurrence).toBe("none");
  });
});

describe("validateConsultForm", () => {
  it("turns Dutch input into the back end's shape", () => {
    expect(validateConsultForm(form({ link: " https://meet.example.nl/x " }))).toEqual({
      ok: true,
      input: {
        clientIds: ["c1"],
        kind: "video",
        date: "2025-01-13",
        time: "09:30",
        durationMinutes: 50,
        link: "https://meet.example.nl/x",
        recurrence: null,
      },
    });
  });

  it("adds a recurrence with its count", () => {
    const result = validateConsultForm(form({ recurrence: "biweekly", count: "4" }));
    expect(result.ok && result.input.recurrence).toEqual({ frequency: "biweekly", count: 4 });
  });

  it("points at every field that is wrong", () => {
    const result = validateConsultForm(
      form({
        clientIds: [""],
        date: "31-02-2025",
        time: "25:00",
        durationMinutes: "2",
        recurrence: "weekly",
        count: "60",
        link: "http://insecure.example",
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        clientIds: "invalid.clientIds",
        date: "invalid.date",
        time: "invalid.time",
        durationMinutes: "invalid.durationMinutes",
        count: "invalid.count",
        link: "invalid.link",
      },
    });
  });

  it("wants 2 to 20 clients for a group session", () => {
    const one = validateConsultForm(form({ kind: "group_session", clientIds: ["a"] }));
    expect(one.ok).toBe(false);
    expect(!one.ok && one.errors.clientIds).toBe("invalid.groupClients");
    const two = validateConsultForm(form({ kind: "group_session", clientIds: ["a", "b"] }));
    expect(two.ok && two.input.clientIds).toEqual(["a", "b"]);
  });

  it("ignores the count when the consult does not repeat", () => {
    expect(validateConsultForm(form({ count: "x" })).ok).toBe(true);
  });
});

describe("consultFieldOf", () => {
  it("maps back-end fields onto the form", () => {
    expect(consultFieldOf("time")).toBe("time");
    expect(consultFieldOf("recurrence")).toBe("count");
    expect(consultFieldOf("nonsense")).toBeNull();
    expect(consultFieldOf(null)).toBeNull();
  });
});
