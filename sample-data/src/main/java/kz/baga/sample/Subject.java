package kz.baga.sample;

import java.util.ArrayList;
import java.util.List;

/** A school subject as listed in {@code subjects.csv}, with the grade levels that study it. */
record Subject(String code, String nameKk, String nameRu, String nameEn, Assessment assessment,
               int minGrade, int maxGrade) {

    enum Assessment { QUARTER, HALF_YEAR, PASS_FAIL }

    boolean taughtIn(int grade) {
        return grade >= minGrade && grade <= maxGrade;
    }

    /** Marked subjects produce assessments; pass/fail ones do not. */
    boolean marked() {
        return assessment != Assessment.PASS_FAIL;
    }

    /**
     * The subjects, in the order they are written. Every Russian name is plain Russian (encodable in
     * windows-1251) and unique: the Kundelik export names subjects by it.
     */
    static final List<Subject> ALL = List.of(
            new Subject("KAZ_LANG", "Қазақ тілі", "Казахский язык", "Kazakh language", Assessment.QUARTER, 1, 11),
            new Subject("KAZ_LIT", "Қазақ әдебиеті", "Казахская литература", "Kazakh literature", Assessment.QUARTER, 5, 11),
            new Subject("RUS_LANG", "Орыс тілі", "Русский язык", "Russian language", Assessment.QUARTER, 1, 11),
            new Subject("RUS_LIT", "Орыс әдебиеті", "Русская литература", "Russian literature", Assessment.QUARTER, 5, 11),
            new Subject("LIT_READ", "Әдебиеттік оқу", "Литературное чтение", "Literary reading", Assessment.QUARTER, 1, 4),
            new Subject("ENG", "Ағылшын тілі", "Английский язык", "English language", Assessment.QUARTER, 1, 11),
            new Subject("MATH", "Математика", "Математика", "Mathematics", Assessment.QUARTER, 1, 6),
            new Subject("ALG", "Алгебра", "Алгебра", "Algebra", Assessment.QUARTER, 7, 11),
            new Subject("GEOM", "Геометрия", "Геометрия", "Geometry", Assessment.QUARTER, 7, 11),
            new Subject("INF", "Информатика", "Информатика", "Computer science", Assessment.QUARTER, 2, 11),
            new Subject("NATSCI", "Жаратылыстану", "Естествознание", "Natural science", Assessment.QUARTER, 1, 6),
            new Subject("HIST_KZ", "Қазақстан тарихы", "История Казахстана", "History of Kazakhstan", Assessment.QUARTER, 5, 11),
            new Subject("WORLD_HIST", "Дүниежүзі тарихы", "Всемирная история", "World history", Assessment.QUARTER, 5, 11),
            new Subject("PHYS", "Физика", "Физика", "Physics", Assessment.QUARTER, 7, 11),
            new Subject("CHEM", "Химия", "Химия", "Chemistry", Assessment.QUARTER, 8, 11),
            new Subject("BIO", "Биология", "Биология", "Biology", Assessment.QUARTER, 7, 11),
            new Subject("GEOG", "География", "География", "Geography", Assessment.QUARTER, 7, 11),
            new Subject("ART", "Көркем еңбек", "Художественный труд", "Arts and crafts", Assessment.HALF_YEAR, 1, 6),
            new Subject("MUSIC", "Музыка", "Музыка", "Music", Assessment.HALF_YEAR, 1, 6),
            new Subject("LAW", "Құқық негіздері", "Основы права", "Fundamentals of law", Assessment.HALF_YEAR, 9, 9),
            new Subject("PE", "Дене шынықтыру", "Физическая культура", "Physical education", Assessment.QUARTER, 1, 11),
            new Subject("NVP", "Алғашқы әскери және технологиялық дайындық",
                    "Начальная военная и технологическая подготовка", "Basic military and technological training",
                    Assessment.HALF_YEAR, 10, 11),
            new Subject("GRAPH", "Графика және жобалау", "Графика и проектирование", "Graphics and design",
                    Assessment.HALF_YEAR, 10, 11),
            new Subject("SELF_KNOW", "Өзін-өзі тану", "Самопознание", "Self-knowledge", Assessment.PASS_FAIL, 1, 11));

    /** The marked subjects of a grade level, in {@link #ALL} order. */
    static List<Subject> markedFor(int grade) {
        List<Subject> out = new ArrayList<>();
        for (Subject s : ALL) {
            if (s.marked() && s.taughtIn(grade)) {
                out.add(s);
            }
        }
        return out;
    }

    static Subject byCode(String code) {
        for (Subject s : ALL) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown subject " + code);
    }
}
