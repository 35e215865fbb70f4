"""`{{ form }}` renders GOV.UK components, whatever widget subclass a form uses."""

from django import forms

from digitalcov.core.forms import GovukDateField


class HintedRadios(forms.RadioSelect):
    """A subclass, as apps make: it must still render as GOV.UK radios."""


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your passport")
    colour = forms.ChoiceField(
        label="Colour", choices=[("red", "Red"), ("blue", "Blue")], widget=HintedRadios
    )
    waste = forms.MultipleChoiceField(
        label="Waste", choices=[("wood", "Wood")], widget=forms.CheckboxSelectMultiple
    )
    born = GovukDateField(label="Date of birth")
    notes = forms.CharField(label="Notes", widget=forms.Textarea)


def test_fields_render_as_govuk_components():
    html = str(ExampleForm())
    assert 'class="govuk-input"' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert 'class="govuk-radios__input" id="id_colour_0" name="colour" type="radio" value="red"' in html
    assert 'class="govuk-checkboxes__input" id="id_waste_0" name="waste" type="checkbox" value="wood"' in html
    assert 'class="govuk-date-input"' in html
    assert 'class="govuk-textarea"' in html
    assert html.count("<fieldset") == 3


def test_errors_show_beside_the_field_and_link_from_the_summary():
    form = ExampleForm(data={"born_0": "31", "born_1": "2", "born_2": "2000"})
    html = str(form)
    assert "govuk-form-group--error" in html
    assert form["colour"].anchor_id == "id_colour_0"
    assert form["name"].anchor_id == "id_name"
    assert form.errors["born"] == ["Enter a real date"]


def test_a_date_with_errors_marks_each_box_and_huge_or_odd_years_are_refused_politely():
    form = ExampleForm(data={"born_0": "1", "born_1": "2", "born_2": "99999999999999999999"})
    assert form.errors["born"] == ["Enter a real date"]
    assert str(form).count("govuk-input--error") >= 3
    for year in ("20O0", "-200", "20"):
        assert ExampleForm(data={"born_0": "1", "born_1": "2", "born_2": year}).errors["born"] == [
            "Enter a real date"
        ]


def test_postcode_and_phone_fields_normalise_and_explain_mistakes():
    from digitalcov.core.forms import PhoneField, PostcodeField

    class AddressForm(forms.Form):
        postcode = PostcodeField()
        phone = PhoneField(required=False)

    good = AddressForm(data={"postcode": " cv1   5rr ", "phone": "07700 900982"})
    assert good.is_valid()
    assert good.cleaned_data == {"postcode": "CV1 5RR", "phone": "+447700900982"}
    bad = AddressForm(data={"postcode": "CV1 9QQ", "phone": "12345"})
    assert bad.errors["postcode"] == ["We cannot find that postcode. Check it and enter it again"]
    assert bad.errors["phone"][0].startswith("Enter a telephone number")
    assert AddressForm(data={"postcode": "CV1 5RR", "phone": ""}).is_valid()
