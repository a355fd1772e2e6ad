package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** #14: the PEP 508 parser behind Requires-Dist; rows from PEP 508's own examples. */
class RequirementTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # requirement                                                      | name       | extras       | specifier    | url                 | marker
            A                                                                  | a          |              |              |                     |
            A.B-C_D                                                            | a-b-c-d    |              |              |                     |
            name>=3,<2                                                         | name       |              | <2,>=3       |                     |
            name@http://foo.com                                                | name       |              |              | http://foo.com      |
            name [fred,bar] @ http://foo.com ; python_version=='2.7'           | name       | fred,bar     |              | http://foo.com      | python_version=='2.7'
            name[quux, strange];python_version<'2.7' and platform_version=='2' | name       | quux,strange |              |                     | python_version<'2.7' and platform_version=='2'
            name; (os_name=='a' or os_name=='b') and os_name=='c'              | name       |              |              |                     | (os_name=='a' or os_name=='b') and os_name=='c'
            name@http://foo.com;python_version=='2.7'                          | name       |              |              | http://foo.com;python_version=='2.7' |
            zope.interface (>=3.6.0,<6) ; extra == "test"                      | zope-interface |          | <6,>=3.6.0   |                     | extra == "test"
            """)
    void parses_pep_508_examples(String text, String name, String extras, String specifier, String url, String marker) {
        Requirement r = Requirement.parse(text);

        assertThat(r.name().normalized()).isEqualTo(name);
        assertThat(r.extras()).isEqualTo(extras == null ? List.of() : List.of(extras.split(",")));
        assertThat(r.specifier().toString()).isEqualTo(specifier == null ? "" : specifier);
        assertThat(r.url()).isEqualTo(java.util.Optional.ofNullable(url));
        assertThat(r.marker()).isEqualTo(java.util.Optional.ofNullable(marker));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "requests (>=2.0;;; bad",
                "foo; python_version >= '3' or",
                "foo; (os_name == 'a'",
                "foo; os_name === ",
                "foo; os_name not'in' 'a'",
                "foo[a b]",
                "foo_",
                "foo @ relative/path"
            })
    void refuses_what_pep_508_does_not_allow(String text) {
        assertThatThrownBy(() -> Requirement.parse(text))
                .isInstanceOf(InvalidRequirementException.class)
                .hasMessageContaining("at position");
    }
}
