// OWLAPI checks for pathokg's OWL files (tests/test_obo.py compiles and runs this with Debian's
// libowlapi-java): the OWL 2 DL profile, and optionally the OBO-format export of the ontology.
//
// Usage: java -cp <jars>:. OwlCheck FILE.owl [OUT.obo]
// Prints "axioms N", "classes N", "individuals N", one "violation ..." line per OWL 2 DL profile
// violation, and "obo OUT.obo" once the OBO file is written. Exit code 0 when it ran to the end.
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.OBODocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        System.out.println("axioms " + ontology.getAxiomCount());
        System.out.println("classes " + ontology.getClassesInSignature().size());
        System.out.println("individuals " + ontology.getIndividualsInSignature().size());
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation " + violation.toString().replace('\n', ' '));
        }
        if (args.length > 1) {
            try (OutputStream out = new FileOutputStream(args[1])) {
                manager.saveOntology(ontology, new OBODocumentFormat(), out);
            }
            System.out.println("obo " + args[1]);
        }
    }
}
